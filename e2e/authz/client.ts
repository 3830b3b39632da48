// Plain HTTP against the running app, one explicit cookie per identity. Redirects are never
// followed and Set-Cookie is never stored, so a sign-in, sign-up or sign-out under test cannot
// change who the next request is made as.

/** Who a request is made as: a session cookie, or none. */
export type Session = { name: string; cookie: string | null; email?: string };

export type HttpCall = {
  method: string;
  /** Path and query, e.g. `/api/characters/ID?format=v2`. */
  path: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (multipart forms, raw uploads). */
  body?: BodyInit;
  headers?: Record<string, string>;
};

export type Answer = {
  status: number;
  location: string | null;
  /** `error.code` of a JSON error body. */
  code: string | null;
  headers: Headers;
  text: string;
};

export async function send(base: string, session: Session, call: HttpCall): Promise<Answer> {
  // A call may bring its own cookie header (the session plus Auth.js's CSRF cookie).
  const headers: Record<string, string> = { ...(session.cookie ? { cookie: session.cookie } : {}), ...call.headers };
  let body = call.body;
  if (call.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(call.json);
  }
  const response = await fetch(new URL(call.path, base), { method: call.method, headers, body, redirect: "manual" });
  // Read to the end: a streamed chat reply is stored complete before the next check uses it.
  const text = await response.text();
  let code: string | null = null;
  if (response.headers.get("content-type")?.includes("application/json")) {
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
    } catch {
      code = null;
    }
  }
  return { status: response.status, location: response.headers.get("location"), code, headers: response.headers, text };
}

/** The session cookie a response sets (a sign-in or sign-up), as a request cookie. */
export function sessionCookieOf(headers: Headers): string | null {
  const cookie = headers.getSetCookie().find((value) => /^(__Secure-)?authjs\.session-token=[^;]/.test(value));
  return cookie ? (cookie.split(";")[0] ?? null) : null;
}

/** The arguments of `action(previousState, formData)`, the shape `useActionState` forms call. */
export class FormArgs {
  constructor(readonly fields: Record<string, string>) {}
}

export type ActionCall = {
  /** A page that references the action; the proxy and the page's route decide what reaches it. */
  page: string;
  args: unknown[] | FormArgs;
  headers?: Record<string, string>;
};

/** What an action call came to: its returned `ActionResult`, a redirect, or a bare HTTP answer. */
export type ActionAnswer = {
  status: number;
  /** `x-action-redirect` (redirect() inside the action) or a 3xx Location (the proxy). */
  redirect: string | null;
  result: { ok: boolean; error?: { code: string } } | null;
  /** The action threw instead of returning (the RSC row is an error). */
  threw: boolean;
  headers: Headers;
};

/**
 * Call a server action the way Next's client does (verified against Next 16.4.5): `POST <page>`
 * with `Next-Action: <id>` and the page's `Origin` (Next refuses a foreign origin), the arguments
 * encoded as React's `encodeReply` does — a JSON array as text/plain, or, when an argument is a
 * FormData, a multipart body whose field `0` is that array with `"$K1"` in the FormData's place
 * and the form's fields as `_1_<name>` (field `0` last: the server resolves `$K1` from the fields
 * read before it). The answer is an RSC stream: row `0` is `{"a":"$@1",…}` and row `1` the value.
 */
export async function callAction(base: string, session: Session, id: string, call: ActionCall): Promise<ActionAnswer> {
  const headers: Record<string, string> = { "Next-Action": id, Origin: new URL(base).origin, ...call.headers };
  if (session.cookie) headers.cookie = session.cookie;
  let body: BodyInit;
  if (call.args instanceof FormArgs) {
    const form = new FormData();
    for (const [name, value] of Object.entries(call.args.fields)) form.append(`_1_${name}`, value);
    form.append("0", JSON.stringify(["$undefined", "$K1"]));
    body = form;
  } else {
    headers["Content-Type"] = "text/plain;charset=UTF-8";
    body = JSON.stringify(call.args, (_key, value) =>
      // encodeReply escapes strings that start with "$" (its reference marker) and spells out undefined.
      typeof value === "string" && value.startsWith("$") ? `$${value}` : value === undefined ? "$undefined" : value,
    );
  }
  const response = await fetch(new URL(call.page, base), { method: "POST", headers, body, redirect: "manual" });
  const text = await response.text();
  const actionRedirect = response.headers.get("x-action-redirect");
  const redirect = actionRedirect
    ? pathOf(actionRedirect.replace(/;(push|replace)$/, ""), base)
    : response.status >= 300 && response.status < 400
      ? pathOf(response.headers.get("location") ?? "", base)
      : null;
  const rows = new Map<string, string>();
  if (response.headers.get("content-type")?.includes("text/x-component")) {
    for (const line of text.split("\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) rows.set(line.slice(0, colon), line.slice(colon + 1));
    }
  }
  let result: ActionAnswer["result"] = null;
  let threw = false;
  const head = rows.get("0");
  if (head) {
    const pointer = (JSON.parse(head) as { a?: unknown }).a;
    const row = typeof pointer === "string" && pointer.startsWith("$@") ? rows.get(pointer.slice(2)) : undefined;
    if (row?.startsWith("E")) threw = true;
    else if (row) result = JSON.parse(row) as ActionAnswer["result"];
    else if (pointer && typeof pointer === "object") result = pointer as ActionAnswer["result"];
  }
  return { status: response.status, redirect, result, threw, headers: response.headers };
}

function pathOf(location: string, base: string): string {
  if (!location) return "";
  const url = new URL(location, base);
  return `${url.pathname}${url.search}`;
}
