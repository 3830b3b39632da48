import "server-only";
// OpenCharacter-G and -R: instruction seeds answered by characters. Each seed goes to N characters
// drawn at random (seeded, so a rerun draws the same ones). G writes new in-character answers turn
// by turn; R rewrites the seed's reference answers in the character's voice, facts kept. Either
// way the user turns stay verbatim and the row is an SFT conversation whose system prompt is the
// character block.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { assertCharacters, type SynthCharacter, synthCharacter } from "../characters";
import { complete } from "../llm";
import { sample, seededRandom } from "../random";
import { seedsOf } from "../seeds";
import { GENERATE_TEMPLATE, REWRITE_TEMPLATE, templateRef } from "../templates";
import { runSingleCall } from "./single-call";
import type { Pipeline, PipelineContext, SingleCall } from "./types";

type Turn = { role: "user" | "assistant"; content: string };
type Seed = { system?: string; turns: Turn[]; hasReferences: boolean };
type ItemInput = { seedId: string; characterId: string; turns: Turn[] };

const params = z.object({
  inputId: z.string().min(1),
  characterIds: z.array(z.string().min(1)).min(1).max(10_000),
  /** Characters per seed. */
  n: z.number().int().min(1).max(50).default(3),
  seed: z.number().int().default(1),
  limit: z.number().int().min(1).optional(),
});

async function* plan(pipeline: string, input: z.infer<typeof params>, needsReferences: boolean) {
  await assertCharacters(input.characterIds);
  for await (const row of seedsOf<Seed>(input.inputId, "instructions", input.limit)) {
    if (needsReferences && !row.data.hasReferences) continue;
    const drawn = sample(input.characterIds, input.n, seededRandom(`${input.seed}:${row.seedId}`));
    for (const [index, characterId] of drawn.entries()) {
      yield {
        key: `${pipeline}:${row.seedId}:${index}:${characterId}`,
        input: { seedId: row.seedId, characterId, turns: row.data.turns },
      };
    }
  }
}

function row(system: string, dialogue: Turn[], lineage: Record<string, unknown>) {
  const last = dialogue.at(-1);
  if (last?.role !== "assistant") throw new AppError("bad_request:seed", "The dialogue has no answer to train on.");
  return {
    kind: "SFT" as const,
    prompt: [{ role: "system", content: system }, ...dialogue.slice(0, -1)],
    chosen: last.content,
    trainOn: "ALL" as const,
    lineage,
  };
}

function lineageOf(
  context: Pick<PipelineContext, "key" | "modelId" | "sampling">,
  input: ItemInput,
  versionId: string,
  template: string,
) {
  return {
    pipeline: context.key.split(":")[0],
    template,
    modelId: context.modelId,
    sampling: context.sampling,
    seedId: input.seedId,
    characterId: input.characterId,
    characterVersionId: versionId,
  };
}

export const generatePipeline: Pipeline<typeof params> = {
  name: "generate",
  template: templateRef(GENERATE_TEMPLATE),
  description: "seed user turns → in-character answers (OpenCharacter-G)",
  params,
  plan: (input) => plan("generate", input, false),
  async preview(raw) {
    const input = raw as ItemInput;
    const character = await synthCharacter(input.characterId);
    return {
      system: `${GENERATE_TEMPLATE.system}\n\n${character.system}`,
      prompt: input.turns.find((turn) => turn.role === "user")?.content ?? "",
    };
  },
  async handle(raw, context) {
    const input = raw as ItemInput;
    const character = await synthCharacter(input.characterId);
    const system = `${GENERATE_TEMPLATE.system}\n\n${character.system}`;
    const dialogue: Turn[] = [];
    let tokensIn = 0;
    let tokensOut = 0;
    for (const turn of input.turns.filter((candidate) => candidate.role === "user")) {
      dialogue.push(turn);
      const answer = await complete(context.model, {
        system,
        messages: dialogue,
        sampling: context.sampling,
        signal: context.signal,
      });
      if (!answer.text) throw new AppError("upstream_error:invalid_output", "The model answered with nothing.");
      dialogue.push({ role: "assistant", content: answer.text });
      tokensIn += answer.tokensIn;
      tokensOut += answer.tokensOut;
    }
    return {
      output: { turns: dialogue.length },
      samples: [
        row(character.system, dialogue, lineageOf(context, input, character.versionId, templateRef(GENERATE_TEMPLATE))),
      ],
      tokensIn,
      tokensOut,
      parseFailures: 0,
    };
  },
};

const rewriteCall: SingleCall = {
  async request(raw) {
    const input = raw as ItemInput;
    const character = await synthCharacter(input.characterId);
    const references = input.turns.filter((turn) => turn.role === "assistant").length;
    return {
      system: REWRITE_TEMPLATE.system,
      prompt:
        `Character:\n${character.system}\n\nDialogue (JSON):\n${JSON.stringify(input.turns)}\n\n` +
        `Rewrite the ${references} assistant answer(s) as ${character.name} would say them.`,
      schema: z.object({ answers: z.array(z.string().min(1)).length(references) }),
      schemaName: "rewritten_answers",
      carry: character,
    };
  },
  async accept(raw, answer, context, carry) {
    const input = raw as ItemInput;
    const character = carry as SynthCharacter;
    const { answers } = answer as { answers: string[] };
    let next = 0;
    const dialogue = input.turns.map((turn) =>
      turn.role === "user" ? turn : { role: "assistant" as const, content: answers[next++] ?? "" },
    );
    // A seed may end on a user turn (no reference): the row ends at the last answer.
    while (dialogue.at(-1)?.role === "user") dialogue.pop();
    return {
      output: { turns: dialogue.length },
      samples: [
        row(character.system, dialogue, lineageOf(context, input, character.versionId, templateRef(REWRITE_TEMPLATE))),
      ],
    };
  },
};

export const rewritePipeline: Pipeline<typeof params> = {
  name: "rewrite",
  template: templateRef(REWRITE_TEMPLATE),
  description: "seed dialogue with reference answers → answers rewritten in character (OpenCharacter-R)",
  params,
  singleCall: rewriteCall,
  plan: (input) => plan("rewrite", input, true),
  preview: (input) => rewriteCall.request(input),
  handle: (input, context) => runSingleCall(rewriteCall, input, context),
};
