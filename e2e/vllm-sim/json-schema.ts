/**
 * Stands in for vLLM's guided decoding: a deterministic JSON value that validates against the
 * request's JSON Schema. Values are readable and depend on the seed (so different prompts give
 * different answers) and on property names (a `name` gets a name, a `description` a sentence).
 * Unsupported keywords (`pattern`, `not`, `if/then/else`, `patternProperties`) are ignored.
 */

import { pick, type Rng } from "./generate";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type Schema = Record<string, unknown>;

/** Past this depth only required properties and minimum item counts are produced. */
const SOFT_DEPTH = 6;
/** Past this depth recursion stops outright (schemas can be self-referential). */
const HARD_DEPTH = 24;

const WORDS = [
  "amber",
  "lantern",
  "harbor",
  "velvet",
  "quiet",
  "ember",
  "willow",
  "silver",
  "meadow",
  "thistle",
  "marble",
  "crimson",
  "hollow",
  "breeze",
  "cinder",
  "orchard",
  "ivory",
  "raven",
  "tide",
  "copper",
  "café",
  "fjord",
  "saffron",
  "lattice",
];
const NAMES = [
  "Aria",
  "Élodie",
  "Corwin",
  "Mira",
  "Søren",
  "Talia",
  "Bastian",
  "Renée",
  "Kaito",
  "Isolde",
  "Dario",
  "Nadia",
];

const isRecord = (value: unknown): value is Schema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const asNumber = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

function toJson(value: unknown): JsonValue {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toJson);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return null;
}

/** A deterministic value valid against `schema` (draft 2020-12 / draft-07 subset). */
export function sampleJson(schema: unknown, rng: Rng): JsonValue {
  return new Sampler(schema, rng).value(schema, "", 0);
}

class Sampler {
  constructor(
    private readonly root: unknown,
    private readonly rng: Rng,
  ) {}

  value(node: unknown, key: string, depth: number): JsonValue {
    if (node === false || depth > HARD_DEPTH) return null;
    if (!isRecord(node)) return this.text(key);
    if (typeof node.$ref === "string") return this.value(this.resolve(node.$ref), key, depth + 1);
    if ("const" in node) return toJson(node.const);
    if (Array.isArray(node.enum) && node.enum.length > 0) return toJson(pick(this.rng, node.enum));
    const branches = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
    if (branches && branches.length > 0) {
      // Prefer a non-null branch: pydantic writes Optional[X] as anyOf [X, null].
      const branch = branches.find((b) => !(isRecord(b) && b.type === "null")) ?? branches[0];
      const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = node;
      return this.value(isRecord(branch) ? merge(rest, branch) : branch, key, depth);
    }
    if (Array.isArray(node.allOf)) {
      const { allOf, ...rest } = node;
      return this.value(allOf.filter(isRecord).reduce(merge, rest), key, depth);
    }
    switch (typeOf(node)) {
      case "object":
        return this.object(node, depth);
      case "array":
        return this.array(node, key, depth);
      case "integer":
        return this.number(node, key, true);
      case "number":
        return this.number(node, key, false);
      case "boolean":
        return this.rng() < 0.5;
      case "null":
        return null;
      default:
        return this.string(node, key);
    }
  }

  private resolve(ref: string): unknown {
    if (!ref.startsWith("#")) return {};
    let target: unknown = this.root;
    for (const raw of ref.slice(1).split("/").filter(Boolean)) {
      const segment = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
      target = isRecord(target) ? target[segment] : Array.isArray(target) ? target[Number(segment)] : undefined;
    }
    return target ?? {};
  }

  private object(node: Schema, depth: number): JsonValue {
    const properties = isRecord(node.properties) ? node.properties : {};
    const required = Array.isArray(node.required) ? node.required.filter((k) => typeof k === "string") : [];
    const additional = node.additionalProperties;
    const out: Record<string, JsonValue> = {};
    for (const [name, sub] of Object.entries(properties)) {
      if (depth >= SOFT_DEPTH && !required.includes(name)) continue;
      out[name] = this.value(sub, name, depth + 1);
    }
    for (const name of required) {
      if (!(name in out)) out[name] = this.value(isRecord(additional) ? additional : {}, name, depth + 1);
    }
    if (additional === false) return out;
    const declared = Object.keys(properties).length + required.length;
    const min = asNumber(node.minProperties) ?? 0;
    // A free-form object (json_object mode, dict fields) gets a few entries of its own.
    const wanted = Math.max(min, declared === 0 && depth < SOFT_DEPTH ? 2 + Math.floor(this.rng() * 3) : 0);
    for (let i = 0; Object.keys(out).length < wanted && i < wanted * 4; i++) {
      const name = `${pick(this.rng, WORDS)}_${i}`;
      if (!(name in out))
        out[name] = isRecord(additional) ? this.value(additional, name, depth + 1) : this.scalar(name);
    }
    return out;
  }

  private array(node: Schema, key: string, depth: number): JsonValue {
    const prefix = Array.isArray(node.prefixItems) ? node.prefixItems : Array.isArray(node.items) ? node.items : [];
    const items = Array.isArray(node.items) ? node.additionalItems : node.items;
    const min = asNumber(node.minItems) ?? 0;
    const max = asNumber(node.maxItems) ?? Math.max(min, 3);
    const natural = depth >= SOFT_DEPTH ? min : 1 + Math.floor(this.rng() * 3);
    const count = Math.min(max, Math.max(min, natural));
    const out: JsonValue[] = [];
    const seen = new Set<string>();
    for (let attempt = 0; out.length < count && attempt < count * 8; attempt++) {
      const itemSchema = out.length < prefix.length ? prefix[out.length] : (items ?? {});
      const item = this.value(itemSchema, singular(key), depth + 1);
      if (node.uniqueItems === true) {
        const fingerprint = JSON.stringify(item);
        if (seen.has(fingerprint)) continue;
        seen.add(fingerprint);
      }
      out.push(item);
    }
    return out;
  }

  private number(node: Schema, key: string, integer: boolean): number {
    const exclusiveMin = asNumber(node.exclusiveMinimum);
    const exclusiveMax = asNumber(node.exclusiveMaximum);
    const step = integer ? 1 : 0.01;
    const fallbackLow = /age/i.test(key) ? 18 : 0;
    let low = asNumber(node.minimum) ?? (exclusiveMin !== undefined ? exclusiveMin + step : undefined);
    let high = asNumber(node.maximum) ?? (exclusiveMax !== undefined ? exclusiveMax - step : undefined);
    low ??= high !== undefined ? Math.min(fallbackLow, high) : fallbackLow;
    high ??= low + (/age/i.test(key) ? 62 : 100);
    if (integer) {
      low = Math.ceil(low);
      high = Math.floor(high);
      const multiple = asNumber(node.multipleOf);
      if (multiple !== undefined && Number.isInteger(multiple) && multiple > 0) {
        const first = Math.ceil(low / multiple);
        const last = Math.floor(high / multiple);
        return multiple * (first + Math.floor(this.rng() * (last - first + 1)));
      }
      return low + Math.floor(this.rng() * (high - low + 1));
    }
    const value = Math.round((low + this.rng() * (high - low)) * 100) / 100;
    return Math.min(high, Math.max(low, value));
  }

  private string(node: Schema, key: string): string {
    const formatted = typeof node.format === "string" ? this.formatted(node.format) : undefined;
    let text = formatted ?? this.text(key);
    const minLength = asNumber(node.minLength) ?? 0;
    const maxLength = asNumber(node.maxLength);
    while ([...text].length < minLength) text += ` ${pick(this.rng, WORDS)}`;
    if (maxLength !== undefined && [...text].length > maxLength) text = [...text].slice(0, maxLength).join("");
    return text;
  }

  private formatted(format: string): string | undefined {
    const int = (n: number) => Math.floor(this.rng() * n);
    const pad = (n: number, width = 2) => String(n).padStart(width, "0");
    switch (format) {
      case "date-time":
        return new Date(Date.UTC(2020 + int(6), int(12), 1 + int(28), int(24), int(60), int(60))).toISOString();
      case "date":
        return `${2020 + int(6)}-${pad(1 + int(12))}-${pad(1 + int(28))}`;
      case "time":
        return `${pad(int(24))}:${pad(int(60))}:${pad(int(60))}Z`;
      case "email":
        return `${pick(this.rng, NAMES).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()}@example.com`;
      case "uri":
      case "url":
        return `https://example.com/${pick(this.rng, WORDS).normalize("NFD").replace(/\p{M}/gu, "")}`;
      case "uuid": {
        const hex = Array.from({ length: 32 }, () => "0123456789abcdef".charAt(int(16))).join("");
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
      }
      default:
        return undefined;
    }
  }

  private scalar(key: string): JsonValue {
    const roll = this.rng();
    if (roll < 0.2) return Math.floor(this.rng() * 100);
    if (roll < 0.3) return this.rng() < 0.5;
    return this.text(key);
  }

  /** Readable text chosen by what the property is called. */
  private text(key: string): string {
    const words = (n: number) => Array.from({ length: n }, () => pick(this.rng, WORDS));
    if (/(^|_)(name|character|speaker|author|persona)$/i.test(key) || /Name$/.test(key)) return pick(this.rng, NAMES);
    if (/title/i.test(key))
      return words(2 + Math.floor(this.rng() * 3))
        .map(capitalize)
        .join(" ");
    if (/(id|slug|key)$/i.test(key)) return `${words(2).join("-")}-${Math.floor(this.rng() * 1000)}`;
    if (
      /(description|summary|text|content|reason|response|answer|message|bio|backstory|personality|appearance|experience|question|explanation|feedback|comment|rationale|reply)/i.test(
        key,
      )
    ) {
      return `${capitalize(words(6 + Math.floor(this.rng() * 7)).join(" "))}.`;
    }
    return words(1 + Math.floor(this.rng() * 3)).join(" ");
  }
}

function typeOf(node: Schema): string {
  const type = node.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return type.find((t) => t !== "null") ?? "null";
  if ("properties" in node || "additionalProperties" in node || "required" in node) return "object";
  if ("items" in node || "prefixItems" in node) return "array";
  return "string";
}

/** Combines two subschemas (allOf members, or anyOf's siblings with the chosen branch). */
function merge(base: Schema, extra: Schema): Schema {
  const merged: Schema = { ...base, ...extra };
  if (isRecord(base.properties) && isRecord(extra.properties)) {
    merged.properties = { ...base.properties, ...extra.properties };
  }
  if (Array.isArray(base.required) && Array.isArray(extra.required)) {
    merged.required = [...base.required, ...extra.required];
  }
  return merged;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function singular(key: string): string {
  return key.endsWith("s") ? key.slice(0, -1) : key;
}
