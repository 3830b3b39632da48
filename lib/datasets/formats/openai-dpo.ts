// OpenAI preference fine-tuning (DPO): the prompt as `input.messages`, one preferred and one
// non-preferred assistant answer. Assistant turns inside the prompt are context, never scored.
import { answerJson, type ExportSample } from "./index";

export const kinds = ["PREFERENCE"] as const;

export function lines(sample: ExportSample): string {
  // Every stored pair has a rejected answer; "" only keeps the row well-formed if one did not.
  return `{"input":{"messages":${sample.prompt}},"preferred_output":${answerJson(sample.chosen)},"non_preferred_output":${answerJson(sample.rejected ?? "")}}\n`;
}
