// The dataset card: a markdown page that travels with every export, saying what is in the version,
// where it came from, whose consent covers it and which licenses its inputs carry.
import type { MixReport } from "./queries";

type CardVersion = {
  id: string;
  name: string;
  version: number;
  description: string;
  filter: unknown;
  seed: string;
  validationShare: number;
  sampleCount: number;
  createdAt: Date;
};

const SOURCE_NAMES: Record<string, string> = {
  SYNTHETIC: "synthesis pipelines",
  SWIPE: "swipe choices (preference pairs)",
  EDIT: "user edits (corrections)",
  ARENA: "arena votes",
  RATING: "thumbs up/down",
  CHAT: "approved chats",
};

const number = (value: number) => value.toLocaleString("en");
const percent = (part: number, total: number) => (total > 0 ? `${((100 * part) / total).toFixed(1)}%` : "0%");

function table(
  title: string,
  rows: { key: string | null; count: number }[],
  total: number,
  label = (key: string) => key,
) {
  if (rows.length === 0) return "";
  const lines = rows.map(
    (row) => `| ${row.key === null ? "—" : label(row.key)} | ${number(row.count)} | ${percent(row.count, total)} |`,
  );
  return [`| ${title} | Rows | Share |`, "|---|---:|---:|", ...lines, ""].join("\n");
}

function histogram(title: string, rows: { key: string | null; count: number }[]) {
  if (rows.length === 0) return "";
  const sorted = [...rows].sort((a, b) => Number(a.key) - Number(b.key));
  const lines = sorted.map((row) => {
    const low = 2 ** Number(row.key);
    return `| ${low}–${2 * low - 1} | ${number(row.count)} |`;
  });
  return [`| ${title} (tokens, estimated) | Rows |`, "|---|---:|", ...lines, ""].join("\n");
}

/** A lone carriage return ends a line in Markdown too, so it could end a span or start a block. */
const LINE_ENDINGS = /\s*[\r\n]\s*/g;

/** A code span that text with backticks cannot break out of (the fence is longer than any run inside). */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence} ${text.replace(LINE_ENDINGS, " ")} ${fence}`;
}

/** Escape text an admin typed so it cannot turn into markdown structure or HTML in the card. */
function plain(text: string): string {
  return text.replace(LINE_ENDINGS, " ").replace(/[\\`*_[\]<>#|]/g, (char) => `\\${char}`);
}

export function datasetCard(version: CardVersion, mix: MixReport): string {
  const filter = JSON.stringify(version.filter);
  const sections = [
    `# ${plain(version.name)} — version ${version.version}`,
    "",
    version.description ? `${plain(version.description)}\n` : "",
    `Created ${version.createdAt.toISOString()} by Troupe. Version id ${code(version.id)}.`,
    "",
    "## Contents",
    "",
    `${number(mix.total)} samples: ${number(mix.split.TRAIN)} train, ${number(mix.split.VALIDATION)} validation ` +
      `(seed ${code(version.seed)}, validation share ${version.validationShare}, split by conversation so no ` +
      "conversation is on both sides).",
    "",
    `Chosen by: approved samples matching ${code(filter)}, one per near-duplicate group.`,
    "",
    table("Source", mix.bySource, mix.total, (key) => SOURCE_NAMES[key] ?? key),
    table("Kind", mix.byKind, mix.total),
    table("Pipeline", mix.byPipeline, mix.total),
    table("Language", mix.byLanguage, mix.total),
    histogram("Prompt length", mix.promptTokens),
    histogram("Answer length", mix.answerTokens),
    "## Consent",
    "",
    mix.feedbackRows > 0
      ? `${number(mix.feedbackRows)} rows come from ${number(mix.contributors)} users' feedback; each was derived only ` +
        "because that user had opted in to training use when they gave it. If a user withdraws consent, their rows " +
        "are erased: exports of this version leave them out and the version shows how many were redacted."
      : "No rows come from users' feedback: everything here is synthesized.",
    "",
    "## How it was made",
    "",
    mix.templates.length > 0 ? `Templates: ${mix.templates.map(code).join(", ")}.` : "",
    mix.generators.length > 0 ? `Generating models: ${mix.generators.map(code).join(", ")}.` : "",
    mix.judges.length > 0
      ? `Automatic checks judged rows with ${mix.judges.map(code).join(", ")}; every row was approved by a reviewer.`
      : "Every row was approved by a reviewer.",
    "",
    "## Licenses",
    "",
    mix.inputs.length > 0
      ? mix.inputs
          .map(
            (input) =>
              `- ${plain(input.name)} (${input.kind}): ${input.license ? plain(input.license) : "license not recorded"}`,
          )
          .join("\n")
      : "No synthesis inputs: rows come from Troupe's own chats and pipelines.",
    "",
    "Generated rows also inherit the terms of the model that generated them. Inputs such as Persona Hub " +
      "(CC-BY-NC-SA) restrict commercial use of what is derived from them.",
    "",
  ];
  return `${sections
    .filter((section, index, all) => section !== "" || all[index - 1] !== "")
    .join("\n")
    .trim()}\n`;
}
