// OpenAI supervised fine-tuning: `{"messages":[...]}`. OpenAI trains on every assistant message
// unless it carries `"weight":0` (the field takes 0 or 1, on assistant messages only), so a LAST
// sample marks the assistant turns of its prompt with weight 0; the final answer and every turn of
// an ALL sample keep OpenAI's default of 1 by carrying no weight at all.
import { answerJson, type ExportSample, type PromptTurn, turnsOf } from "./index";

export const kinds = ["SFT"] as const;

type Message = PromptTurn | { role: "assistant"; content: string; weight: 0 };

export function lines(sample: ExportSample): string {
  // Inside the JSON text a bare `"role":"assistant"` can only be structure: quotes in content are escaped.
  if (sample.trainOn === "LAST" && sample.prompt.includes('"role":"assistant"')) {
    const context: Message[] = turnsOf(sample).map((turn) =>
      turn.role === "assistant" ? { role: "assistant", content: turn.content, weight: 0 } : turn,
    );
    context.push({ role: "assistant", content: sample.chosen });
    return `${JSON.stringify({ messages: context })}\n`;
  }
  const answer = answerJson(sample.chosen).slice(1, -1);
  const messages = sample.prompt === "[]" ? `[${answer}]` : `${sample.prompt.slice(0, -1)},${answer}]`;
  return `{"messages":${messages}}\n`;
}
