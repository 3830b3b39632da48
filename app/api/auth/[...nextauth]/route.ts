import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { clientIp, peekLoginLimit } from "@/lib/auth/login";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";
import { emailSchema } from "@/lib/users/schema";

/**
 * Auth.js takes a `callbackUrl` query parameter that is not a path or an http(s) URL for a mistake
 * in its own configuration and answers 500. It is the caller's mistake: 400, checked the same way
 * (Auth.js reads the last value given).
 */
function badCallbackUrl(request: NextRequest): Response | undefined {
  const value = request.nextUrl.searchParams.getAll("callbackUrl").at(-1);
  if (!value) return undefined;
  try {
    const url = new URL(value, value.startsWith("/") ? request.nextUrl.origin : undefined);
    if (url.protocol === "http:" || url.protocol === "https:") return undefined;
  } catch {
    // Not a URL at all: refused below.
  }
  return errorResponse(
    new AppError("bad_request:callback_url", "callbackUrl must be a path on this site or an http(s) URL."),
  );
}

export async function GET(request: NextRequest) {
  return badCallbackUrl(request) ?? handlers.GET(request);
}

/** Credential sign-ins over the API get a real 429 when the email+IP has failed too often. */
export async function POST(request: NextRequest) {
  const refused = badCallbackUrl(request);
  if (refused) return refused;
  if (request.nextUrl.pathname.endsWith("/callback/credentials")) {
    const form = await request
      .clone()
      .formData()
      .catch(() => null);
    const email = emailSchema.safeParse(form?.get("email"));
    if (email.success) {
      const limit = await peekLoginLimit(email.data, clientIp(request.headers));
      if (!limit.allowed) {
        return errorResponse(
          new AppError("rate_limited:login", "Too many failed sign-ins for this account. Wait and try again.", {
            retryAfterSeconds: limit.retryAfterSeconds,
          }),
        );
      }
    }
  }
  return handlers.POST(request);
}
