// TRL SFTTrainer, conversational prompt–completion: `{"prompt":[...],"completion":[assistant]}`.
// TRL computes the loss on the completion only for prompt–completion rows (SFTConfig's
// `completion_only_loss` defaults to that), which holds with any chat template. The `messages` form
// would need `assistant_only_loss=True`, which only works with a chat template that marks the
// assistant's tokens with {% generation %} — Qwen2.5's, for one, does not — and it would train on
// every assistant turn, so it cannot express LAST.
// So a LAST sample is one row, and an ALL sample becomes one row per assistant turn (the prompt is
// everything before that turn): each trainable answer is trained exactly once, nothing else is.
import { answerJson, type ExportSample, turnsOf } from "./index";

export const kinds = ["SFT"] as const;

const row = (promptJson: string, answer: string) => `{"prompt":${promptJson},"completion":${answerJson(answer)}}\n`;

export function lines(sample: ExportSample): string {
  let out = "";
  if (sample.trainOn === "ALL") {
    const prompt = turnsOf(sample);
    for (const [index, turn] of prompt.entries()) {
      if (turn.role === "assistant") out += row(JSON.stringify(prompt.slice(0, index)), turn.content);
    }
  }
  return out + row(sample.prompt, sample.chosen);
}
