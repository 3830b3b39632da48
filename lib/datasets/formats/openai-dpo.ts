// OpenAI preference fine-tuning (DPO): the prompt as `input.messages`, one preferred and one
// non-preferred assistant answer. Assistant turns inside the prompt are context, never scored.
import type { ExportSample } from "./index";

export const kinds = ["PREFERENCE"] as const;

export function lines(sample: ExportSample): string {
  return `${JSON.stringify({
    input: { messages: sample.prompt },
    preferred_output: [{ role: "assistant", content: sample.chosen }],
    // Every stored pair has a rejected answer; "" only keeps the row well-formed if one did not.
    non_preferred_output: [{ role: "assistant", content: sample.rejected ?? "" }],
  })}\n`;
}
