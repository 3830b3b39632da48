import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { isKnownBrowserToken, KNOWN_BROWSER_COOKIE } from "@/lib/auth/known-browser";
import { clientIp, peekLoginLimit } from "@/lib/auth/login";
import { appEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { errorResponse, readBodyBytes } from "@/lib/http";
import { emailSchema } from "@/lib/users/schema";

/** Auth.js's forms (sign-in, sign-out) are a few hundred bytes; it reads its bodies without a limit. */
const MAX_BODY_BYTES = 16 * 1024;

/** Auth.js keeps the page to return to in this cookie (`__Secure-` on https) between requests. */
const CALLBACK_URL_COOKIES = ["authjs.callback-url", "__Secure-authjs.callback-url"];

function usableCallbackUrl(value: string, origin: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

/**
 * Auth.js takes a callbackUrl that is not a path or an http(s) URL — in the query (the last value)
 * or its cookie — for a mistake in its own configuration and answers 500; in a sign-in form it
 * fails the sign-in. It is the caller's mistake: 400, checked the same way. Both cookie names are
 * checked whatever the scheme, so this need not guess which one Auth.js will read.
 */
function assertCallbackUrls(request: NextRequest, form: FormData | null): void {
  const values = [
    request.nextUrl.searchParams.getAll("callbackUrl").at(-1),
    form?.get("callbackUrl"),
    ...CALLBACK_URL_COOKIES.map((name) => request.cookies.get(name)?.value),
  ];
  for (const value of values) {
    if (typeof value === "string" && value && !usableCallbackUrl(value, request.nextUrl.origin)) {
      throw new AppError("bad_request:callback_url", "callbackUrl must be a path on this site or an http(s) URL.");
    }
  }
}

/** A form body Auth.js would read (URL-encoded); anything else is left for Auth.js to refuse. */
async function formOf(request: Request): Promise<FormData | null> {
  return request.formData().catch(() => null);
}

export async function GET(request: NextRequest) {
  try {
    assertCallbackUrls(request, null);
  } catch (error) {
    return errorResponse(error);
  }
  return handlers.GET(request);
}

/**
 * The body, read once with a limit and handed on to Auth.js. Credential sign-ins over the API get a
 * real 429 when the email has failed too often (the attempt itself is counted in `authorize`).
 */
async function checkedRequest(request: NextRequest): Promise<NextRequest> {
  const body = await readBodyBytes(
    request,
    MAX_BODY_BYTES,
    () => new AppError("payload_too_large:body", `The request body is over ${MAX_BODY_BYTES} bytes.`),
  );
  const bounded = new NextRequest(request.url, { method: "POST", headers: request.headers, body });
  const form = await formOf(bounded.clone());
  assertCallbackUrls(bounded, form);
  const email = emailSchema.safeParse(form?.get("email"));
  if (bounded.nextUrl.pathname.endsWith("/callback/credentials") && email.success) {
    const token = bounded.cookies.get(KNOWN_BROWSER_COOKIE)?.value;
    const knownBrowser = isKnownBrowserToken(token, email.data, appEnv().AUTH_SECRET);
    const limit = await peekLoginLimit(email.data, clientIp(bounded.headers), { knownBrowser });
    if (!limit.allowed) {
      throw new AppError("rate_limited:login", "Too many failed sign-ins for this account. Wait and try again.", {
        retryAfterSeconds: limit.retryAfterSeconds,
      });
    }
  }
  return bounded;
}

export async function POST(request: NextRequest) {
  let checked: NextRequest;
  try {
    checked = await checkedRequest(request);
  } catch (error) {
    return errorResponse(error);
  }
  return handlers.POST(checked);
}
