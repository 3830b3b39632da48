import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { clientIp, peekLoginLimit } from "@/lib/auth/login";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";
import { emailSchema } from "@/lib/users/schema";

export const GET = handlers.GET;

/** Credential sign-ins over the API get a real 429 when the email+IP has failed too often. */
export async function POST(request: NextRequest) {
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
