// The dataset exporters: one module per trainer format, each turning a sample into the exact JSON
// lines that trainer reads (method.md, "Formats the exports must produce exactly"). Pure and hot:
// a version export streams up to millions of rows through here at ≥ 100 MB/s, so the prompt arrives
// as compact JSON text and formats that copy it unchanged splice it into the line without parsing;
// only those that reshape turns parse it. Key order is the one the golden files pin; there is no
// validation per row (samples were validated when stored; schemas.ts checks the output in tests).
import * as openaiDpo from "./openai-dpo";
import * as openaiSft from "./openai-sft";
import * as sharegpt from "./sharegpt";
import * as trlDpo from "./trl-dpo";
import * as trlKto from "./trl-kto";
import * as trlSft from "./trl-sft";

export type PromptTurn = { role: "system" | "user" | "assistant"; content: string };

export type ExportSample = {
  id: string;
  kind: "SFT" | "PREFERENCE" | "KTO";
  /** The conversation before the answer as compact JSON text, `[{"role":…,"content":…},…]`, system first when present. */
  prompt: string;
  /** SFT: the answer; PREFERENCE: the chosen answer; KTO: the judged answer. */
  chosen: string;
  /** PREFERENCE only. */
  rejected: string | null;
  /** KTO only. */
  label: boolean | null;
  /** LAST: only `chosen` is trainable; ALL: every assistant turn in `prompt` too. */
  trainOn: "LAST" | "ALL";
};

export const DATASET_FORMATS = ["openai-sft", "openai-dpo", "trl-sft", "trl-dpo", "trl-kto", "sharegpt"] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

type Exporter = { kinds: readonly ExportSample["kind"][]; lines: (sample: ExportSample) => string };

const EXPORTERS: Record<DatasetFormat, Exporter> = {
  "openai-sft": openaiSft,
  "openai-dpo": openaiDpo,
  "trl-sft": trlSft,
  "trl-dpo": trlDpo,
  "trl-kto": trlKto,
  sharegpt,
};

/** An answer as a one-message assistant list, in JSON. */
export function answerJson(content: string): string {
  return `[{"role":"assistant","content":${JSON.stringify(content)}}]`;
}

/** The prompt's turns, for formats that reshape them. */
export function turnsOf(sample: ExportSample): PromptTurn[] {
  return JSON.parse(sample.prompt) as PromptTurn[];
}

/** Which sample kinds a format takes (others are skipped by the exporter). */
export function formatKinds(format: DatasetFormat): readonly ExportSample["kind"][] {
  return EXPORTERS[format].kinds;
}

/** The JSON lines (each ending "\n") one sample becomes in `format`; "" when the format does not take its kind. */
export function formatLines(format: DatasetFormat, sample: ExportSample): string {
  const exporter = EXPORTERS[format];
  return exporter.kinds.includes(sample.kind) ? exporter.lines(sample) : "";
}
