// Which format a file is, judged by its content (the extension is only a hint users get wrong):
// first the container from its magic bytes, then, for JSON, the card version from its shape.
import { isRecord } from "./coerce";
import { CardImportError, type ImportReport } from "./report";

export type Container = "png" | "zip" | "jpeg" | "gif" | "webp" | "json" | "unknown";

const SIGNATURES: [Container, number[]][] = [
  ["png", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ["zip", [0x50, 0x4b, 0x03, 0x04]],
  ["zip", [0x50, 0x4b, 0x05, 0x06]],
  ["jpeg", [0xff, 0xd8, 0xff]],
  ["gif", [0x47, 0x49, 0x46, 0x38]],
];

export function detectContainer(bytes: Uint8Array): Container {
  for (const [container, signature] of SIGNATURES) {
    if (signature.every((byte, index) => bytes[index] === byte)) return container;
  }
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  return looksLikeJson(bytes) ? "json" : "unknown";
}

function looksLikeJson(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return true;
  let index = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (index < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[index] ?? 0)) index++;
  return bytes[index] === 0x7b || bytes[index] === 0x5b; // { or [
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

const EXPECTED_EXTENSIONS: Partial<Record<Container, string[]>> = {
  png: ["png"],
  zip: ["charx", "zip"],
  json: ["json"],
};

/** Files are detected by content; a misleading name is only worth a warning. */
export function warnOnMisleadingName(fileName: string, container: Container, report: ImportReport): void {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  const expected = EXPECTED_EXTENSIONS[container];
  if (extension && expected && !expected.includes(extension)) {
    report.warn(
      `${fileName} is named .${extension} but contains ${container === "zip" ? "a CHARX archive" : container.toUpperCase()}`,
    );
  }
}

export type CardVersion = "v1" | "v2" | "v3";

export type CardShape =
  | { kind: "character"; version: CardVersion; data: Record<string, unknown> }
  | { kind: "lorebook"; book: Record<string, unknown> };

/** The fields a V1 card has; V2/V3 cards from SillyTavern repeat them at the top level. */
export const V1_FIELDS = ["name", "description", "personality", "scenario", "first_mes", "mes_example"] as const;

export function classifyCardJson(root: Record<string, unknown>, report: ImportReport): CardShape {
  const { spec } = root;
  if (spec === "chara_card_v2" || spec === "chara_card_v3") {
    return { kind: "character", version: spec === "chara_card_v3" ? "v3" : "v2", data: cardData(root, report) };
  }
  if (spec === "lorebook_v3") {
    if (isRecord(root.data)) return { kind: "lorebook", book: root.data };
    report.repair("The lorebook had no data object; read its fields from the top level");
    const { spec: _spec, ...book } = root;
    return { kind: "lorebook", book };
  }
  if (spec !== undefined) {
    throw new CardImportError(
      "unprocessable:card_format",
      `the JSON has spec ${describeSpec(spec)}, which Troupe does not read (it reads chara_card_v2, chara_card_v3 and lorebook_v3)`,
    );
  }
  if (isRecord(root.data) && ("name" in root.data || "first_mes" in root.data)) {
    report.repair("The card had no spec field; read it as a V2 card");
    return { kind: "character", version: "v2", data: cardData(root, report) };
  }
  // A bare character_book, or a SillyTavern world-info export ({entries: {"0": …}}).
  if ("entries" in root) return { kind: "lorebook", book: root };
  if ("name" in root || "char_name" in root || "first_mes" in root)
    return { kind: "character", version: "v1", data: root };
  throw new CardImportError(
    "unprocessable:card_format",
    "the JSON is neither a character card nor a lorebook (it has no spec, name or entries)",
  );
}

/** A spec value for a message. String() would throw on an object with its own `toString` key. */
function describeSpec(spec: unknown): string {
  if (typeof spec === "string") return `"${spec}"`;
  if (Array.isArray(spec)) return "a list";
  return typeof spec === "object" && spec !== null ? "an object" : String(spec);
}

function cardData(root: Record<string, unknown>, report: ImportReport): Record<string, unknown> {
  if (!isRecord(root.data)) {
    report.repair("The card had no data object; read its fields from the top level");
    const { spec: _spec, spec_version: _version, data: _data, ...fields } = root;
    return fields;
  }
  const data = { ...root.data };
  const filled = V1_FIELDS.filter((field) => data[field] === undefined && root[field] !== undefined);
  for (const field of filled) data[field] = root[field];
  if (filled.length > 0) report.repair(`Took ${filled.join(", ")} from the card's top-level V1 fields`);
  return data;
}
