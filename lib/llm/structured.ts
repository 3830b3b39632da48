// Structured output: ask for JSON matching a zod schema (sent as response_format json_schema,
// which vLLM enforces), validate it, and retry with the validation error when it does not fit.
import { generateText, type LanguageModel, NoObjectGeneratedError, Output } from "ai";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { toUpstreamError } from "./errors";

export type StructuredResult<T> = {
  object: T;
  /** The raw text of the accepted answer, kept for lineage. */
  raw: string;
  attempts: number;
  usage: { inputTokens: number; outputTokens: number };
};

type Message = { role: "user" | "assistant"; content: string };

export async function generateStructured<S extends z.ZodType>(options: {
  model: LanguageModel;
  schema: S;
  schemaName: string;
  system: string;
  prompt: string;
  /** Extra attempts after the first, each told what was wrong. */
  retries?: number;
  temperature?: number;
  maxOutputTokens?: number;
  seed?: number;
  abortSignal?: AbortSignal;
}): Promise<StructuredResult<z.infer<S>>> {
  const retries = options.retries ?? 1;
  const messages: Message[] = [{ role: "user", content: options.prompt }];
  const usage = { inputTokens: 0, outputTokens: 0 };
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await generateText({
        model: options.model,
        system: options.system,
        messages,
        output: Output.object({ schema: options.schema, name: options.schemaName }),
        maxRetries: 0,
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      });
      usage.inputTokens += result.usage.inputTokens ?? 0;
      usage.outputTokens += result.usage.outputTokens ?? 0;
      return { object: result.output as z.infer<S>, raw: result.text, attempts: attempt + 1, usage };
    } catch (error) {
      if (!NoObjectGeneratedError.isInstance(error)) throw toUpstreamError(error);
      usage.inputTokens += error.usage?.inputTokens ?? 0;
      usage.outputTokens += error.usage?.outputTokens ?? 0;
      if (attempt >= retries) {
        throw new AppError(
          "upstream_error:invalid_output",
          `The model's answer did not match the expected format after ${attempt + 1} attempt(s).`,
        );
      }
      const problem = error.cause instanceof Error ? error.cause.message : error.message;
      messages.push(
        { role: "assistant", content: error.text ?? "" },
        {
          role: "user",
          content: `That answer was not valid (${problem.slice(0, 500)}). Reply again with only a JSON object that matches the schema.`,
        },
      );
    }
  }
}
