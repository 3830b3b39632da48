// ShareGPT: `{"system":"...","conversations":[{"from":"human"|"gpt","value":...}]}`.
// `system` is the first system turn's content ("" when there is none). ShareGPT has no place for a
// system turn inside the conversation, so any later system turn is appended to `system` after a
// blank line; its position in the dialogue is lost.
// Turns a LAST sample must not train on (the assistant turns before the answer) carry `"weight":0`.
// Axolotl reads it when the dataset is configured as `type: chat_template` with
// `field_messages: conversations`, `message_property_mappings: {role: from, content: value}` and
// `message_field_training: weight` (a turn's field, when present, decides whether it is trained;
// turns without it fall back to `roles_to_train`, default assistant). LLaMA-Factory ignores
// per-turn fields: its `mask_history: true` trains on the last turn of every row instead.
import { type ExportSample, turnsOf } from "./index";

export const kinds = ["SFT"] as const;

type Turn = { from: "human" | "gpt"; value: string } | { from: "gpt"; value: string; weight: 0 };

export function lines(sample: ExportSample): string {
  let system: string | null = null;
  const conversations: Turn[] = [];
  const maskEarlierAnswers = sample.trainOn === "LAST";
  for (const turn of turnsOf(sample)) {
    if (turn.role === "system") system = system === null ? turn.content : `${system}\n\n${turn.content}`;
    else if (turn.role === "user") conversations.push({ from: "human", value: turn.content });
    else
      conversations.push(
        maskEarlierAnswers ? { from: "gpt", value: turn.content, weight: 0 } : { from: "gpt", value: turn.content },
      );
  }
  conversations.push({ from: "gpt", value: sample.chosen });
  return `${JSON.stringify({ system: system ?? "", conversations })}\n`;
}
