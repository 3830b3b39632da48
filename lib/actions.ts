// Server actions are public endpoints: each parses its input, checks who is asking, and
// returns a serializable result instead of throwing, so forms can show precise messages.
import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { AppError, type ErrorCode, type FieldErrors } from "./errors";
import { fieldErrorsOf } from "./http";

export type ActionResult<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; error: { code: ErrorCode; message: string; fields?: FieldErrors } };

export async function runAction<T>(body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await body() };
  } catch (error) {
    // redirect(), notFound() and forbidden() work by throwing; let Next handle them.
    unstable_rethrow(error);
    if (error instanceof AppError) return { ok: false, error: error.toJSON().error };
    if (error instanceof z.ZodError) {
      return {
        ok: false,
        error: { code: "bad_request:validation", message: "Some fields are not valid.", fields: fieldErrorsOf(error) },
      };
    }
    console.error("[action] unexpected error", error);
    return { ok: false, error: { code: "internal:server", message: "Something went wrong on our side." } };
  }
}
