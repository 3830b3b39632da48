// TRL DPOTrainer, conversational preference with an explicit prompt: the trainer scores only the
// `chosen` and `rejected` completions, so assistant turns inside the prompt are context.
import type { ExportSample } from "./index";

export const kinds = ["PREFERENCE"] as const;

export function lines(sample: ExportSample): string {
  return `${JSON.stringify({
    prompt: sample.prompt,
    chosen: [{ role: "assistant", content: sample.chosen }],
    // Every stored pair has a rejected answer; "" only keeps the row well-formed if one did not.
    rejected: [{ role: "assistant", content: sample.rejected ?? "" }],
  })}\n`;
}
