import "server-only";
// Running a single-call pipeline's item online: its one structured request, then its accept step.
import { structured } from "../llm";
import type { ItemResult } from "../runner";
import type { PipelineContext, SingleCall } from "./types";

export async function runSingleCall(call: SingleCall, input: unknown, context: PipelineContext): Promise<ItemResult> {
  const { carry, ...request } = await call.request(input);
  const answer = await structured(context.model, {
    ...request,
    sampling: context.sampling,
    signal: context.signal,
  });
  const accepted = await call.accept(input, answer.object, context, carry);
  return { ...accepted, tokensIn: answer.tokensIn, tokensOut: answer.tokensOut, parseFailures: answer.parseFailures };
}
