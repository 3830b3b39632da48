// Fuzzing every route handler that reads a body, a query or a path id, over HTTP against the built
// app: valid requests and mutations of them, arbitrary JSON, malformed JSON, wrong content types,
// bodies past each route's limit, odd Unicode, `__proto__` keys and bad ids, as a throwaway user,
// as the admin and signed out. No answer may be a 5xx, every 4xx must be `{error: {code, message}}`,
// no stream or per-file result may report an internal error, and the app must still answer its
// health check after each group. Seed: FUZZ_SEED (lib/testing/fuzz.ts); the counts are printed.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type APIRequestContext, type APIResponse, expect, request as playwright, test } from "@playwright/test";
import fc from "fast-check";
import { base64Json, plainPng, pngWithText } from "../lib/characters/cards/fixtures/build";
import { anyJson, FUZZ_SEED, hostileText, mutated, PROTOTYPE_KEYS } from "../lib/testing/fuzz";
import { APP_PORTS } from "../playwright.config";
import { testUser } from "./fixtures/users";

const BASE_URL = `http://127.0.0.1:${APP_PORTS.connected}`;
const MB = 1024 * 1024;

// Requests and how each answer is judged

type As = "user" | "admin" | "anonymous";
type FilePart = { name: string; type: string; bytes: Uint8Array };
type Body =
  | { kind: "json"; value: unknown; contentType?: string }
  | { kind: "raw"; bytes: Uint8Array | string; contentType?: string }
  | { kind: "multipart"; parts: [string, string | FilePart][] };
type Req = { method: string; path: string; as: As; body?: Body };

type Sessions = Record<As, APIRequestContext>;

/** Status counts per group, printed at the end of each group's test. */
const statuses = new Map<number, number>();
let sent = 0;

async function send(sessions: Sessions, req: Req): Promise<APIResponse> {
  const context = sessions[req.as];
  const options: Parameters<APIRequestContext["fetch"]>[1] = {
    method: req.method,
    maxRedirects: 0,
    timeout: 30_000,
    failOnStatusCode: false,
  };
  const body = req.body;
  if (body?.kind === "json") {
    options.data = Buffer.from(JSON.stringify(body.value) ?? "null");
    options.headers = { "content-type": body.contentType ?? "application/json" };
  } else if (body?.kind === "raw") {
    options.data = typeof body.bytes === "string" ? Buffer.from(body.bytes) : Buffer.from(body.bytes);
    if (body.contentType !== undefined) options.headers = { "content-type": body.contentType };
  } else if (body?.kind === "multipart") {
    const form = new FormData();
    for (const [field, value] of body.parts) {
      if (typeof value === "string") form.append(field, value);
      else form.append(field, new File([new Uint8Array(value.bytes)], value.name, { type: value.type }));
    }
    options.multipart = form;
  }
  if (typeof options.data === "object" && options.data.includes(CSRF)) {
    const { csrfToken } = await (await context.get("/api/auth/csrf")).json();
    options.data = Buffer.from(options.data.toString("utf8").replace(CSRF, csrfToken));
  }
  sent++;
  return context.fetch(req.path, options);
}

/** Stands for the signed-out context's own CSRF token in a generated sign-in form; `send` puts the token in. */
const CSRF = "FUZZ-CSRF-TOKEN";

const PUBLIC_PATHS = [/^\/api\/health(\?|$)/, /^\/api\/auth\//];

/** The promises every answer keeps. Auth.js answers its own routes in its own shape: only no 5xx there. */
async function check(req: Req, response: APIResponse): Promise<void> {
  const status = response.status();
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  const what = `${req.method} ${req.path.slice(0, 200)} as ${req.as} → ${status}`;
  const text = (await response.body()).toString("utf8");
  expect(status, `${what}: ${text.slice(0, 300)}`).toBeLessThan(500);
  if (req.path.startsWith("/api/auth/")) return;
  if (req.as === "anonymous" && !PUBLIC_PATHS.some((pattern) => pattern.test(req.path))) {
    expect(status, `${what}: signed out yet answered`).toBeGreaterThanOrEqual(400);
  }
  const type = response.headers()["content-type"] ?? "";
  if (status >= 400) {
    const body = parseJson(text);
    expect(
      typeof body?.error?.code === "string" && typeof body.error.message === "string",
      `${what}: not {error: {code, message}}: ${text.slice(0, 300)}`,
    ).toBe(true);
  } else if (type.includes("text/event-stream")) {
    // A crash after the stream started arrives as an error event, not as a status.
    for (const frame of text.split("\n\n")) {
      const event = parseJson(frame.replace(/^data: /, ""));
      if (event?.type === "error") expect(String(event.error?.code), `${what}: ${frame}`).not.toMatch(/^internal/);
    }
  }
  if (req.path.startsWith("/api/characters/import") && type.includes("json")) {
    // An unexpected error in one file is caught and reported as "internal" beside the others.
    for (const result of parseJson(text)?.results ?? []) {
      if (!result.ok) expect(result.error.code, `${what}: ${JSON.stringify(result)}`).not.toBe("internal");
    }
  }
}

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field right after parsing
function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// Generators

/** Percent-encodes every byte of the UTF-8 text (encodeURIComponent throws on lone surrogates). */
const pct = (text: string) =>
  [...Buffer.from(text, "utf8")].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");

/** encodeURIComponent where it can (it throws on a lone surrogate), else every byte of its UTF-8. */
const encode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return pct(text);
  }
};

const weirdSegment = fc.oneof(
  fc.uuid(),
  hostileText.filter((text) => text.length > 0).map(pct),
  fc.constantFrom(
    "%00",
    "%ED%A0%80",
    "%FF%FE",
    "..%2F..%2Fapi%2Fme",
    "%2e%2e",
    "__proto__",
    "constructor",
    "toString",
    "null",
    "0",
    "-1",
    "1e400",
    "%20",
    "a".repeat(65),
    "x".repeat(5000),
  ),
);

function segment(valid: string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...valid) }, { weight: 2, arbitrary: weirdSegment });
}

const weirdValue = fc.oneof(
  hostileText.map(pct),
  fc.constantFrom("%00", "%ED%A0%80", "", "-1", "0", "1e400", "NaN", "9".repeat(400), "true", "[]", "%7B%7D"),
);

/** A query string of these parameters (valid values mostly), with hostile values and extra keys mixed in. */
function query(params: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const pairs = Object.entries(params).map(([key, valid]) =>
    fc.option(
      fc
        .oneof({ weight: 3, arbitrary: valid.map(encode) }, { weight: 1, arbitrary: weirdValue })
        .map((value) => `${key}=${value}`),
      { freq: 4 },
    ),
  );
  const extra = fc.array(
    fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, ...Object.keys(params)), hostileText.map(pct)), weirdValue),
    { maxLength: 2 },
  );
  return fc.tuple(fc.tuple(...pairs), extra).map(([chosen, more]) => {
    const all = [
      ...chosen.filter((pair): pair is string => pair !== null),
      ...more.map(([key, value]) => `${key}=${value}`),
    ];
    return all.length === 0 ? "" : `?${all.join("&")}`;
  });
}

/** Bodies for a JSON route: valid, mutated, arbitrary, malformed, under other content types, too large. */
function jsonBody(valid: fc.Arbitrary<unknown>, keys: string[], limit: number): fc.Arbitrary<Body> {
  const json = (value: unknown): Body => ({ kind: "json", value });
  return fc.oneof(
    { weight: 4, arbitrary: valid.map(json) },
    { weight: 4, arbitrary: valid.chain((value) => mutated(value, keys)).map(json) },
    { weight: 2, arbitrary: anyJson(keys).map(json) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        valid.map(
          (value): Body => ({
            kind: "raw",
            bytes: (JSON.stringify(value) ?? "").slice(0, -1),
            contentType: "application/json",
          }),
        ),
        fc
          .constantFrom("{", "[", "nul", '{"a":}', "\u0000", "", "\ufeff{}")
          .map((bytes): Body => ({ kind: "raw", bytes, contentType: "application/json" })),
        fc
          .uint8Array({ maxLength: 64 })
          .map((bytes): Body => ({ kind: "raw", bytes, contentType: "application/json" })),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          valid,
          fc.constantFrom(
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/json; charset=latin1",
          ),
        )
        .map(([value, contentType]): Body => ({ kind: "json", value, contentType })),
    },
    {
      weight: 1,
      arbitrary: fc.nat(2048).map(
        (extra): Body => ({
          kind: "raw",
          bytes: `{"a":"${"x".repeat(limit + extra)}"}`,
          contentType: "application/json",
        }),
      ),
    },
  );
}

/** Who asks: mostly whom the route is for, sometimes someone signed out or (on admin routes) not an admin. */
function asker(intended: As): fc.Arbitrary<As> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(intended) },
    { weight: 1, arbitrary: fc.constant<As>("anonymous") },
    { weight: intended === "admin" ? 1 : 0, arbitrary: fc.constant<As>("user") },
  );
}

const someText = fc
  .tuple(hostileText, fc.constantFrom("A", "é", "日"))
  .map(([text, letter]) => `${letter}${text}${letter}`);
const clientRequestId = fc.string({ minLength: 8, maxLength: 40, unit: fc.constantFrom(..."abcdef0123456789-") });

// Fixtures: a throwaway user (made with the CLI, not the rate-limited sign-up) and what it owns

type Fixtures = {
  sessions: Sessions;
  user: { id: string; email: string };
  target: { id: string };
  admin: { id: string };
  characters: string[];
  adminCharacter: string;
  doomedCharacter: string;
  conversation: string;
  doomedConversation: string;
  messages: { user: string; assistant: string };
  doomedMessage: string;
  suite: string;
  arena?: string;
};

const run = `${FUZZ_SEED}-${Date.now().toString(36)}`;
const PASSWORD = "fuzz-password-1";

async function createAccount(email: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["bin/troupe.cjs", "users", "create", "--email", email, "--password", PASSWORD, "--json"],
    { env: process.env, timeout: 60_000 },
  );
  return JSON.parse(stdout).id as string;
}

async function signIn(email: string, password: string): Promise<APIRequestContext> {
  const context = await playwright.newContext({ baseURL: BASE_URL });
  const { csrfToken } = await (await context.get("/api/auth/csrf")).json();
  await context.post("/api/auth/callback/credentials", { form: { email, password, csrfToken }, maxRedirects: 0 });
  expect((await context.get("/api/me")).status(), `signed in as ${email}`).toBe(200);
  return context;
}

async function created(response: APIResponse): Promise<{ id: string }> {
  expect(response.status(), await response.text()).toBeLessThan(300);
  return response.json();
}

async function setUp(workerIndex: number): Promise<Fixtures> {
  const email = `fuzz-${run}-${workerIndex}@fuzz.troupe`;
  const userId = await createAccount(email);
  const targetId = await createAccount(`fuzz-target-${run}-${workerIndex}@fuzz.troupe`);
  const sessions: Sessions = {
    user: await signIn(email, PASSWORD),
    admin: await signIn(testUser("admin").email, testUser("admin").password),
    anonymous: await playwright.newContext({ baseURL: BASE_URL }),
  };
  const character = (context: APIRequestContext, name: string) =>
    context.post("/api/characters", {
      data: { profile: { name, greeting: `*${name} nods.* Hello, {{user}}.` }, tags: ["fuzz"], visibility: "PRIVATE" },
    });
  const characters = [
    (await created(await character(sessions.user, `Fuzz Fenna ${run}`))).id,
    (await created(await character(sessions.user, `Fuzz Bram ${run}`))).id,
  ];
  const doomedCharacter = (await created(await character(sessions.user, `Fuzz Doomed ${run}`))).id;
  const adminCharacter = (await created(await character(sessions.admin, `Fuzz Admin ${run}`))).id;
  await sessions.user.put(`/api/characters/${characters[0]}/avatar`, {
    data: Buffer.from(plainPng(8, 8)),
    headers: { "content-type": "image/png" },
  });
  const conversation = (await created(await sessions.user.post("/api/chat", { data: { characterId: characters[0] } })))
    .id;
  const doomedConversation = (
    await created(await sessions.user.post("/api/chat", { data: { characterId: characters[1] } }))
  ).id;
  for (const id of [conversation, doomedConversation]) {
    const reply = await sessions.user.post(`/api/chat/${id}/messages`, {
      data: { content: "Where does the ferry go?", clientRequestId: `setup-${run}-${id}` },
    });
    expect(reply.status()).toBe(200);
    await reply.body();
  }
  const messagesOf = async (id: string) => {
    const state = await (await sessions.user.get(`/api/chat/${id}`)).json();
    const list = state.messages as { id: string; role: string }[];
    return {
      user: list.find((message) => message.role === "user")?.id ?? "",
      assistant: list.findLast((message) => message.role === "assistant")?.id ?? "",
    };
  };
  const suiteFile = [
    JSON.stringify({ suite: { name: `fuzz-suite-${run}-${workerIndex}`, kind: "persona" } }),
    JSON.stringify({ persona: "A ferry captain.", question: "Where to?", task: "expected_action" }),
  ].join("\n");
  const suite = await created(
    await sessions.admin.post("/api/admin/eval/suites", {
      multipart: { file: { name: "fuzz.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(suiteFile) } },
    }),
  );
  const arena = await sessions.user.post("/api/arena", { data: { characterId: characters[0] } });
  const me = await (await sessions.admin.get("/api/me")).json();
  return {
    sessions,
    user: { id: userId, email },
    target: { id: targetId },
    admin: { id: me.user.id },
    characters,
    adminCharacter,
    doomedCharacter,
    conversation,
    doomedConversation,
    messages: await messagesOf(conversation),
    doomedMessage: (await messagesOf(doomedConversation)).user,
    suite: suite.id,
    ...(arena.status() === 201 ? { arena: (await arena.json()).id } : {}),
  };
}

const fuzzTest = test.extend<object, { fixtures: Fixtures }>({
  fixtures: [
    async ({ browserName: _browser }, use, workerInfo) => {
      const fixtures = await setUp(workerInfo.workerIndex);
      await use(fixtures);
      for (const context of Object.values(fixtures.sessions)) await context.dispose();
    },
    { scope: "worker", timeout: 120_000 },
  ],
});

// The routes, in groups (each group one test, so the two workers share them)

type Route = { name: string; runs: number; request: (f: Fixtures) => fc.Arbitrary<Req> };

const profileKeys = [
  "profile",
  "name",
  "greeting",
  "description",
  "tags",
  "visibility",
  "note",
  "expectedVersion",
  "lorebook",
  "entries",
  "keys",
  "content",
  "card",
  "extensions",
];

const saveCharacter = fc.record({
  profile: fc.record({ name: someText, greeting: someText, description: fc.option(someText, { nil: undefined }) }),
  tags: fc.array(fc.constantFrom("fuzz", "harbor", "Ünïcode"), { maxLength: 3 }),
  visibility: fc.constantFrom("PRIVATE", "UNLISTED"),
  note: someText,
});

const jsonFile = (name: string, value: unknown): FilePart => ({
  name,
  type: "application/json",
  bytes: Buffer.from(JSON.stringify(value) ?? "null"),
});

/** Card files of each kind; the in-process card fuzz (lib/characters/cards) is where parsing gets its 1,000s. */
const cardFile: fc.Arbitrary<FilePart> = fc.oneof(
  {
    weight: 4,
    arbitrary: someText.map((name) =>
      jsonFile("card.json", { spec: "chara_card_v2", spec_version: "2.0", data: { name } }),
    ),
  },
  {
    weight: 6,
    arbitrary: mutated(
      { spec: "chara_card_v2", spec_version: "2.0", data: { name: "Fuzz Card", first_mes: "Hi", tags: ["fuzz"] } },
      profileKeys,
    ).map((card) => jsonFile("mutated.json", card)),
  },
  {
    weight: 3,
    arbitrary: someText.map((name) => ({
      name: "card.png",
      type: "image/png",
      bytes: pngWithText([["chara", base64Json({ name, first_mes: "Hi" })]]),
    })),
  },
  {
    weight: 2,
    arbitrary: fc.constant(
      jsonFile("world.json", { spec: "lorebook_v3", data: { entries: [{ keys: ["k"], content: "c" }] } }),
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .uint8Array({ maxLength: 256 })
      .map((bytes) => ({ name: "junk.bin", type: "application/octet-stream", bytes })),
  },
  { weight: 2, arbitrary: hostileText.map((name) => ({ name, type: "text/plain", bytes: Buffer.from("hello") })) },
  // Past the 20 MB a file may have: rare, it is a big upload.
  {
    weight: 1,
    arbitrary: fc.constant({ name: "huge.json", type: "application/json", bytes: new Uint8Array(21 * MB).fill(0x20) }),
  },
);

const CHARACTER_ROUTES: Route[] = [
  {
    name: "GET /api/characters",
    runs: 40,
    request: () =>
      fc.record({
        method: fc.constant("GET"),
        path: query({
          scope: fc.constantFrom("mine", "gallery"),
          q: someText,
          tag: fc.constantFrom("fuzz", "harbor"),
          sort: fc.constantFrom("updated", "created", "name"),
          page: fc.integer({ min: 1, max: 20 }).map(String),
          pageSize: fc.integer({ min: 1, max: 100 }).map(String),
        }).map((q) => `/api/characters${q}`),
        as: asker("user"),
      }),
  },
  {
    name: "POST /api/characters",
    runs: 50,
    request: () =>
      fc.record({
        method: fc.constant("POST"),
        path: fc.constant("/api/characters"),
        as: asker("user"),
        body: jsonBody(saveCharacter, profileKeys, 2 * MB),
      }),
  },
  {
    name: "GET/PUT/DELETE /api/characters/[id]",
    runs: 70,
    request: (f) =>
      fc.oneof(
        fc.record({
          method: fc.constant("GET"),
          path: segment([...f.characters, f.adminCharacter]).map((id) => `/api/characters/${id}`),
          as: asker("user"),
        }),
        fc.record({
          method: fc.constant("PUT"),
          path: segment([f.characters[1] ?? "", f.adminCharacter]).map((id) => `/api/characters/${id}`),
          as: asker("user"),
          body: jsonBody(saveCharacter, profileKeys, 2 * MB),
        }),
        fc.record({
          method: fc.constant("DELETE"),
          path: segment([f.doomedCharacter, f.adminCharacter]).map((id) => `/api/characters/${id}`),
          as: asker("user"),
        }),
      ),
  },
  {
    name: "GET /api/characters/[id]/versions, POST …/fork, GET …/export",
    runs: 50,
    request: (f) =>
      fc.oneof(
        fc.record({
          method: fc.constant("GET"),
          path: segment([...f.characters, f.adminCharacter]).map((id) => `/api/characters/${id}/versions`),
          as: asker("user"),
        }),
        fc.record({
          method: fc.constant("POST"),
          path: segment([f.characters[0] ?? "", f.adminCharacter]).map((id) => `/api/characters/${id}/fork`),
          as: asker("user"),
        }),
        fc.record({
          method: fc.constant("GET"),
          path: fc
            .tuple(
              segment([...f.characters, f.adminCharacter]),
              query({ format: fc.constantFrom("v2", "v3", "png", "charx") }),
            )
            .map(([id, q]) => `/api/characters/${id}/export${q}`),
          as: asker("user"),
        }),
      ),
  },
  {
    name: "GET/PUT/DELETE /api/characters/[id]/avatar",
    runs: 40,
    request: (f) =>
      fc.oneof(
        fc.record({
          method: fc.constantFrom("GET", "DELETE"),
          path: segment([f.characters[1] ?? "", f.adminCharacter]).map((id) => `/api/characters/${id}/avatar`),
          as: asker("user"),
        }),
        fc.record({
          method: fc.constant("PUT"),
          path: segment([f.characters[1] ?? ""]).map((id) => `/api/characters/${id}/avatar`),
          as: asker("user"),
          body: fc.oneof(
            fc.constant<Body>({ kind: "raw", bytes: plainPng(4, 4), contentType: "image/png" }),
            fc.uint8Array({ maxLength: 200 }).map((bytes): Body => ({ kind: "raw", bytes, contentType: "image/png" })),
            fc.constant<Body>({
              kind: "raw",
              bytes: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
              contentType: "image/svg+xml",
            }),
            fc.constant<Body>({ kind: "raw", bytes: new Uint8Array(5 * MB + 1), contentType: "image/png" }),
            fc.constant<Body>({ kind: "raw", bytes: pngWithText([], plainPng(4097, 1)), contentType: "image/png" }),
          ),
        }),
      ),
  },
  {
    name: "POST /api/characters/generate",
    runs: 20,
    request: () =>
      fc.record({
        method: fc.constant("POST"),
        path: fc.constant("/api/characters/generate"),
        as: asker("user"),
        body: jsonBody(
          someText.map((persona) => ({ persona: `A persona: ${persona}` })),
          ["persona"],
          MB,
        ),
      }),
  },
  {
    // The import rate limit (50 an hour per user) is the reason for the count: most reach the parser.
    name: "POST /api/characters/import",
    runs: 45,
    request: (f) =>
      fc.record({
        method: fc.constant("POST"),
        path: fc.constant("/api/characters/import"),
        as: asker("user"),
        body: fc.oneof(
          {
            weight: 6,
            arbitrary: fc
              .tuple(
                fc.array(cardFile, { minLength: 1, maxLength: 4 }),
                fc.oneof(
                  { weight: 3, arbitrary: fc.constant(undefined) },
                  { weight: 1, arbitrary: segment([f.characters[1] ?? ""]) },
                ),
              )
              .map(
                ([files, target]): Body => ({
                  kind: "multipart",
                  parts: [
                    ...files.map((file): [string, FilePart] => ["files", file]),
                    ...(target ? [["lorebookTarget", decodeURIComponentSafe(target)] as [string, string]] : []),
                  ],
                }),
              ),
          },
          { weight: 1, arbitrary: fc.constant<Body>({ kind: "multipart", parts: [["other", "x"]] }) },
          { weight: 1, arbitrary: fc.constant<Body>({ kind: "json", value: { files: [] } }) },
          {
            weight: 1,
            arbitrary: fc
              .uint8Array({ maxLength: 128 })
              .map((bytes): Body => ({ kind: "raw", bytes, contentType: "multipart/form-data; boundary=fuzz" })),
          },
          {
            weight: 1,
            arbitrary: fc.constant<Body>({
              kind: "multipart",
              parts: Array.from({ length: 51 }, (): [string, FilePart] => [
                "files",
                { name: "a.json", type: "application/json", bytes: Buffer.from("{}") },
              ]),
            }),
          },
        ),
      }),
  },
];

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const chatKeys = [
  "content",
  "clientRequestId",
  "parentId",
  "messageId",
  "userMessageId",
  "value",
  "reasons",
  "comment",
  "title",
  "modelVersionId",
  "sampling",
  "temperature",
  "top_p",
  "max_tokens",
  "personaName",
  "personaDescription",
  "characterId",
];

const CHAT_ROUTES: Route[] = [
  {
    name: "GET/POST /api/chat",
    runs: 40,
    request: (f) =>
      fc.oneof(
        fc.record({
          method: fc.constant("GET"),
          path: query({
            q: someText,
            page: fc.integer({ min: 1, max: 10 }).map(String),
            pageSize: fc.integer({ min: 1, max: 100 }).map(String),
          }).map((q) => `/api/chat${q}`),
          as: asker("user"),
        }),
        fc.record({
          method: fc.constant("POST"),
          path: fc.constant("/api/chat"),
          as: asker("user"),
          body: jsonBody(
            fc.constantFrom(...f.characters, f.adminCharacter).map((characterId) => ({ characterId })),
            chatKeys,
            MB,
          ),
        }),
      ),
  },
  {
    name: "GET/PATCH/DELETE /api/chat/[id]",
    runs: 60,
    request: (f) =>
      fc.oneof(
        fc.record({
          method: fc.constant("GET"),
          path: segment([f.conversation]).map((id) => `/api/chat/${id}`),
          as: asker("user"),
        }),
        fc.record({
          method: fc.constant("PATCH"),
          path: segment([f.conversation]).map((id) => `/api/chat/${id}`),
          as: asker("user"),
          body: jsonBody(
            fc.record(
              {
                title: someText,
                modelVersionId: fc.constantFrom("auto", "nope"),
                sampling: fc.record(
                  {
                    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
                    max_tokens: fc.integer({ min: 16, max: 512 }),
                  },
                  { requiredKeys: [] },
                ),
                personaName: fc.option(someText, { nil: null }),
                personaDescription: fc.option(someText, { nil: null }),
              },
              { requiredKeys: [] },
            ),
            chatKeys,
            MB,
          ),
        }),
        fc.record({
          method: fc.constant("DELETE"),
          path: segment([f.doomedConversation]).map((id) => `/api/chat/${id}`),
          as: asker("user"),
        }),
      ),
  },
  {
    name: "POST /api/chat/[id]/messages (streams)",
    runs: 40,
    request: (f) =>
      fc.record({
        method: fc.constant("POST"),
        path: segment([f.conversation]).map((id) => `/api/chat/${id}/messages`),
        as: asker("user"),
        body: jsonBody(
          fc.record({
            content: someText,
            clientRequestId,
            parentId: fc.option(fc.constantFrom(f.messages.assistant, "nope"), { nil: undefined }),
          }),
          chatKeys,
          64 * 1024,
        ),
      }),
  },
  {
    name: "POST /api/chat/[id]/regenerate, …/continue (streams)",
    runs: 40,
    request: (f) =>
      fc.oneof(
        fc.record({
          method: fc.constant("POST"),
          path: segment([f.conversation]).map((id) => `/api/chat/${id}/regenerate`),
          as: asker("user"),
          body: jsonBody(
            fc.constantFrom(f.messages.user, f.messages.assistant).map((userMessageId) => ({ userMessageId })),
            chatKeys,
            MB,
          ),
        }),
        fc.record({
          method: fc.constant("POST"),
          path: segment([f.conversation]).map((id) => `/api/chat/${id}/continue`),
          as: asker("user"),
          body: jsonBody(
            fc.constantFrom(f.messages.assistant, f.messages.user).map((messageId) => ({ messageId })),
            chatKeys,
            MB,
          ),
        }),
      ),
  },
  {
    name: "POST /api/chat/[id]/edit, …/select",
    runs: 50,
    request: (f) =>
      fc.oneof(
        fc.record({
          method: fc.constant("POST"),
          path: segment([f.conversation]).map((id) => `/api/chat/${id}/edit`),
          as: asker("user"),
          body: jsonBody(
            fc.record({
              messageId: fc.constantFrom(f.messages.user, f.messages.assistant),
              content: someText,
              clientRequestId,
            }),
            chatKeys,
            64 * 1024,
          ),
        }),
        fc.record({
          method: fc.constant("POST"),
          path: segment([f.conversation]).map((id) => `/api/chat/${id}/select`),
          as: asker("user"),
          body: jsonBody(
            fc.constantFrom(f.messages.user, f.messages.assistant).map((messageId) => ({ messageId })),
            chatKeys,
            MB,
          ),
        }),
      ),
  },
  {
    name: "POST /api/chat/[id]/rate, …/offer; DELETE …/messages/[messageId]",
    runs: 60,
    request: (f) =>
      fc.oneof(
        fc.record({
          method: fc.constant("POST"),
          path: segment([f.conversation]).map((id) => `/api/chat/${id}/rate`),
          as: asker("user"),
          body: jsonBody(
            fc.record({
              messageId: fc.constantFrom(f.messages.assistant, f.messages.user),
              value: fc.constantFrom(1, -1, null),
              reasons: fc.subarray(["out_of_character", "wrong_facts", "repetitive", "too_long"]),
              comment: someText,
            }),
            chatKeys,
            16 * 1024,
          ),
        }),
        fc.record({
          method: fc.constant("POST"),
          path: segment([f.conversation]).map((id) => `/api/chat/${id}/offer`),
          as: asker("user"),
          body: jsonBody(
            fc.constantFrom(f.messages.assistant, f.messages.user).map((messageId) => ({ messageId })),
            chatKeys,
            4 * 1024,
          ),
        }),
        fc.record({
          method: fc.constant("DELETE"),
          path: fc
            .tuple(segment([f.doomedConversation]), segment([f.doomedMessage]))
            .map(([id, message]) => `/api/chat/${id}/messages/${message}`),
          as: asker("user"),
        }),
      ),
  },
  {
    name: "POST /api/arena, GET /api/arena/[id], POST …/battles, …/vote, …/[side]",
    runs: 50,
    request: (f) => {
      const arena = f.arena ? [f.arena] : [f.conversation];
      return fc.oneof(
        fc.record({
          method: fc.constant("POST"),
          path: fc.constant("/api/arena"),
          as: asker("user"),
          body: jsonBody(
            fc.constantFrom(...f.characters).map((characterId) => ({ characterId })),
            chatKeys,
            MB,
          ),
        }),
        fc.record({
          method: fc.constant("GET"),
          path: segment(arena).map((id) => `/api/arena/${id}`),
          as: asker("user"),
        }),
        fc.record({
          method: fc.constant("POST"),
          path: segment(arena).map((id) => `/api/arena/${id}/battles`),
          as: asker("user"),
          body: jsonBody(fc.record({ content: someText, clientRequestId }), chatKeys, 64 * 1024),
        }),
        fc.record({
          method: fc.constant("POST"),
          path: fc.tuple(segment(arena), weirdSegment).map(([id, battle]) => `/api/arena/${id}/battles/${battle}/vote`),
          as: asker("user"),
          body: jsonBody(fc.record({ vote: fc.constantFrom("A", "B", "TIE", "BOTH_BAD") }), ["vote"], MB),
        }),
        fc.record({
          method: fc.constant("POST"),
          path: fc
            .tuple(segment(arena), weirdSegment, fc.constantFrom("A", "B", "C", "%00"))
            .map(([id, battle, side]) => `/api/arena/${id}/battles/${battle}/${side}`),
          as: asker("user"),
        }),
      );
    },
  },
];

const ME_ROUTES: Route[] = [
  {
    name: "GET/DELETE /api/me, PUT /api/me/consent, GET/PUT /api/me/persona, GET /api/health",
    runs: 100,
    request: () =>
      fc.oneof(
        fc.record({
          method: fc.constant("GET"),
          path: fc.constantFrom("/api/me", "/api/me/persona"),
          as: asker("user"),
        }),
        fc.record({
          method: fc.constant("GET"),
          path: query({ verbose: fc.constant("1") }).map((q) => `/api/health${q}`),
          as: fc.constantFrom<As>("anonymous", "user", "admin"),
        }),
        // Never the account's own email: a matching confirmation would delete the fuzz user.
        fc.record({
          method: fc.constant("DELETE"),
          path: fc.constant("/api/me"),
          as: asker("user"),
          body: jsonBody(
            fc.constantFrom("someone-else@example.com", "not an email").map((confirmEmail) => ({ confirmEmail })),
            ["confirmEmail"],
            MB,
          ),
        }),
        fc.record({
          method: fc.constant("PUT"),
          path: fc.constant("/api/me/consent"),
          as: asker("user"),
          body: jsonBody(
            fc.boolean().map((trainingConsent) => ({ trainingConsent })),
            ["trainingConsent"],
            MB,
          ),
        }),
        fc.record({
          method: fc.constant("PUT"),
          path: fc.constant("/api/me/persona"),
          as: asker("user"),
          body: jsonBody(fc.record({ name: someText, description: someText }), ["name", "description"], MB),
        }),
      ),
  },
  {
    // Auth.js's own routes, signed out; the emails are never a fixed user's (their sign-in limits stay untouched).
    name: "/api/auth/*",
    runs: 50,
    request: () =>
      fc.oneof(
        fc.record({
          method: fc.constant("GET"),
          path: fc
            .tuple(
              fc.constantFrom("session", "csrf", "providers", "signin", "error", "callback/credentials", "nope"),
              query({ error: someText, callbackUrl: someText }),
            )
            .map(([route, q]) => `/api/auth/${route}${q}`),
          as: fc.constant<As>("anonymous"),
        }),
        fc.record({
          method: fc.constant("POST"),
          path: fc.constantFrom(
            "/api/auth/callback/credentials",
            "/api/auth/signin/credentials",
            "/api/auth/signout",
            "/api/auth/nope",
          ),
          as: fc.constant<As>("anonymous"),
          body: fc.oneof(
            fc
              .record({
                email: fc.oneof(
                  someText,
                  fc
                    .string({ minLength: 1, maxLength: 20, unit: fc.constantFrom(..."abcdefgh0123456789.-") })
                    .map((name) => `fuzz-${name}@nowhere.troupe`),
                ),
                password: someText,
                // Mostly the context's real token, so the credentials reach Troupe's own sign-in code.
                csrfToken: fc.oneof({ weight: 2, arbitrary: fc.constant(CSRF) }, { weight: 1, arbitrary: someText }),
              })
              .map(
                (form): Body => ({
                  kind: "raw",
                  bytes: new URLSearchParams(form).toString(),
                  contentType: "application/x-www-form-urlencoded",
                }),
              ),
            anyJson(["email", "password", "csrfToken"]).map((value): Body => ({ kind: "json", value })),
            fc
              .uint8Array({ maxLength: 64 })
              .map((bytes): Body => ({ kind: "raw", bytes, contentType: "multipart/form-data; boundary=x" })),
          ),
        }),
      ),
  },
];

const suiteLine = fc.oneof(
  fc
    .record({ persona: someText, question: someText, task: fc.constantFrom("expected_action", "toxicity_control") })
    .map((row) => JSON.stringify(row)),
  anyJson(["persona", "question", "task", "suite", "kind"]).map((value) => JSON.stringify(value) ?? "null"),
  hostileText,
);
const inputLine = fc.oneof(
  fc.record({ instruction: someText, output: someText }).map((row) => JSON.stringify(row)),
  fc
    .record({ label: someText, claims: fc.dictionary(someText, someText, { maxKeys: 2 }) })
    .map((row) => JSON.stringify(row)),
  anyJson(["instruction", "messages", "label", "claims", "persona"]).map((value) => JSON.stringify(value) ?? "null"),
  hostileText,
);

const ADMIN_ROUTES: Route[] = [
  {
    name: "GET /api/admin/users, PATCH /api/admin/users/[id]",
    runs: 70,
    request: (f) =>
      fc.oneof(
        fc.record({
          method: fc.constant("GET"),
          path: query({
            cursor: fc.constantFrom(f.target.id, "nope"),
            take: fc.integer({ min: 1, max: 200 }).map(String),
            q: someText,
          }).map((q) => `/api/admin/users${q}`),
          as: asker("admin"),
        }),
        // Only the throwaway target's role changes (and the admin's own, which is refused).
        fc.record({
          method: fc.constant("PATCH"),
          path: segment([f.target.id, f.admin.id]).map((id) => `/api/admin/users/${id}`),
          as: asker("admin"),
          body: jsonBody(
            fc.constantFrom("USER", "ADMIN").map((role) => ({ role })),
            ["role"],
            MB,
          ),
        }),
      ),
  },
  {
    name: "GET /api/admin/feedback/export, /api/admin/datasets/[id]/{export,card,bundle}",
    runs: 50,
    request: () =>
      fc.oneof(
        fc.record({
          method: fc.constant("GET"),
          path: query({
            format: fc.constantFrom("events", "trl-dpo", "openai-dpo", "trl-kto"),
            since: fc.constantFrom("2026-01-31", "2099-12-31", "2026-02-30"),
          }).map((q) => `/api/admin/feedback/export${q}`),
          as: asker("admin"),
        }),
        fc.record({
          method: fc.constant("GET"),
          path: fc
            .tuple(
              weirdSegment,
              fc.constantFrom("export", "card", "bundle"),
              query({
                format: fc.constantFrom("openai-sft", "trl-sft", "trl-dpo", "sharegpt", "trl-kto"),
                split: fc.constantFrom("train", "validation", "all"),
              }),
            )
            .map(([id, route, q]) => `/api/admin/datasets/${id}/${route}${q}`),
          as: asker("admin"),
        }),
      ),
  },
  {
    name: "POST /api/admin/eval/suites, GET …/[id]/export",
    runs: 50,
    request: (f) =>
      fc.oneof(
        fc.record({
          method: fc.constant("GET"),
          path: segment([f.suite]).map((id) => `/api/admin/eval/suites/${id}/export`),
          as: asker("admin"),
        }),
        fc.record({
          method: fc.constant("POST"),
          path: fc.constant("/api/admin/eval/suites"),
          as: asker("admin"),
          body: fc.oneof(
            {
              weight: 6,
              arbitrary: fc
                .tuple(
                  fc.array(suiteLine, { maxLength: 6 }),
                  fc.option(someText, { nil: undefined }),
                  fc.option(someText, { nil: undefined }),
                )
                .map(
                  ([lines, name, seed]): Body => ({
                    kind: "multipart",
                    parts: [
                      [
                        "file",
                        { name: "suite.jsonl", type: "application/x-ndjson", bytes: Buffer.from(lines.join("\n")) },
                      ],
                      ["name", `fuzz-${run}-${name ?? "suite"}`],
                      ...(seed ? [["seed", seed] as [string, string]] : []),
                    ],
                  }),
                ),
            },
            {
              weight: 1,
              arbitrary: fc.constant<Body>({
                kind: "multipart",
                parts: [
                  [
                    "file",
                    { name: "big.jsonl", type: "application/x-ndjson", bytes: new Uint8Array(20 * MB + 1).fill(0x0a) },
                  ],
                ],
              }),
            },
            { weight: 1, arbitrary: fc.constant<Body>({ kind: "multipart", parts: [["name", "no file"]] }) },
            {
              weight: 1,
              arbitrary: fc
                .uint8Array({ maxLength: 128 })
                .map((bytes): Body => ({ kind: "raw", bytes, contentType: "multipart/form-data; boundary=fuzz" })),
            },
            {
              weight: 1,
              arbitrary: suiteLine.map(
                (line): Body => ({ kind: "raw", bytes: line, contentType: "application/x-ndjson" }),
              ),
            },
          ),
        }),
      ),
  },
  {
    // Persona inputs only with names that are refused: the synthesis browser test starts a job from the newest persona input.
    name: "POST /api/admin/synthesis/inputs",
    runs: 50,
    request: () =>
      fc.record({
        method: fc.constant("POST"),
        path: fc
          .oneof(
            {
              weight: 4,
              arbitrary: fc.tuple(
                fc.constantFrom("instructions", "knowledge"),
                someText.map((name) => `fuzz-${run}-${name}`.slice(0, 200)),
              ),
            },
            {
              weight: 1,
              arbitrary: fc.tuple(fc.constantFrom("personas", "nope", ""), fc.constantFrom("", " ", "x".repeat(201))),
            },
          )
          .chain(([kind, name]) => query({ kind: fc.constant(kind), name: fc.constant(name) }))
          .map((q) => `/api/admin/synthesis/inputs${q}`),
        as: asker("admin"),
        body: fc.oneof(
          fc
            .array(inputLine, { maxLength: 8 })
            .map((lines): Body => ({ kind: "raw", bytes: lines.join("\r\n"), contentType: "application/x-ndjson" })),
          fc.uint8Array({ maxLength: 256 }).map((bytes): Body => ({ kind: "raw", bytes })),
        ),
      }),
  },
];

// The tests: one per group, each route's property run with the fixed seed

const GROUPS: [string, Route[]][] = [
  ["characters", CHARACTER_ROUTES],
  ["chat and arena", CHAT_ROUTES],
  ["account, health and Auth.js", ME_ROUTES],
  ["admin", ADMIN_ROUTES],
];

test.describe("fuzzing the API", () => {
  for (const [group, routes] of GROUPS) {
    fuzzTest(
      `${group}: ${routes.reduce((sum, route) => sum + route.runs, 0)} fuzzed requests`,
      async ({ fixtures }) => {
        test.setTimeout(240_000);
        const started = sent;
        statuses.clear();
        for (const route of routes) {
          console.info(`[fuzz] api ${route.name}: seed ${FUZZ_SEED}, ${route.runs} runs`);
          await fc.assert(
            fc.asyncProperty(route.request(fixtures), async (req) => {
              await check(req, await send(fixtures.sessions, req));
            }),
            { seed: FUZZ_SEED, numRuns: route.runs },
          );
        }
        const histogram = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
        console.info(`[fuzz] api ${group}: ${sent - started} requests sent; statuses ${histogram.join(", ")}`);
        // Still up, and the accounts still work.
        expect((await fixtures.sessions.anonymous.get("/api/health")).status()).toBe(200);
        expect((await fixtures.sessions.user.get("/api/me")).status()).toBe(200);
        expect((await fixtures.sessions.admin.get("/api/me")).status()).toBe(200);
      },
    );
  }
});

// Each of these answered 500 before (found by the fuzz above); they stay as plain tests.
fuzzTest("cases the API fuzz found", async ({ fixtures }) => {
  const { user, admin, anonymous } = fixtures.sessions;
  const expectError = async (response: APIResponse, status: number, code: string) => {
    expect(response.status()).toBe(status);
    expect((await response.json()).error).toMatchObject({ code, message: expect.any(String) });
  };
  // A NUL reached PostgreSQL through a JSON body, and through a path id parsed by no schema.
  await expectError(
    await user.put("/api/me/persona", { data: { name: "Ada", description: "A\u0000" } }),
    400,
    "bad_request:text",
  );
  await expectError(await admin.patch("/api/admin/users/%00", { data: { role: "USER" } }), 400, "bad_request:text");
  await expectError(await admin.get("/api/admin/datasets/%00/card"), 400, "bad_request:text");
  // Next could not decode the path parameter and answered before any handler ran.
  await expectError(await user.delete("/api/characters/%ED%A0%80"), 400, "bad_request:path");
  await expectError(await user.get("/api/chat/%FF%FE"), 400, "bad_request:path");
  // Auth.js took a bad callbackUrl for a mistake in its own configuration.
  await expectError(await anonymous.get("/api/auth/session?callbackUrl=%20"), 400, "bad_request:callback_url");
  // A path that resolves to no handler (here by "..") got Next's HTML page.
  await expectError(await admin.get("/api/admin/datasets/%2e%2e/export"), 404, "not_found:route");
  // Every file failing is a 422 in the usual shape, with each file's reason beside it.
  const importing = await user.post("/api/characters/import", {
    multipart: { files: { name: "junk.bin", mimeType: "application/octet-stream", buffer: Buffer.from([0xff, 0]) } },
  });
  expect(importing.status()).toBe(422);
  expect(await importing.json()).toMatchObject({
    error: { code: "unprocessable:import" },
    imported: 0,
    failed: 1,
    results: [{ ok: false, error: { code: "unprocessable:card_format" } }],
  });
});
