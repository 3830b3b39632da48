// TRL KTOTrainer, conversational unpaired preference: a prompt, one completion and whether that
// completion is desirable. Only the completion is scored; prompt turns are context.
import { answerJson, type ExportSample } from "./index";

export const kinds = ["KTO"] as const;

export function lines(sample: ExportSample): string {
  // A KTO row always has a label; an unlabelled one counts as undesirable rather than breaking the file.
  return `{"prompt":${sample.prompt},"completion":${answerJson(sample.chosen)},"label":${sample.label === true}}\n`;
}
