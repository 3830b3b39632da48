// TRL DPOTrainer, conversational preference with an explicit prompt: the trainer scores only the
// `chosen` and `rejected` completions, so assistant turns inside the prompt are context.
import { answerJson, type ExportSample } from "./index";

export const kinds = ["PREFERENCE"] as const;

export function lines(sample: ExportSample): string {
  // Every stored pair has a rejected answer; "" only keeps the row well-formed if one did not.
  return `{"prompt":${sample.prompt},"chosen":${answerJson(sample.chosen)},"rejected":${answerJson(sample.rejected ?? "")}}\n`;
}
