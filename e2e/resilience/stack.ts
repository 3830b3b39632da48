// What the resilience suite's tests share: ports, the app's and the workers' environment, test
// accounts written straight into the database, and a client for the chat API's event stream that
// records everything it saw (also when the connection breaks halfway).
import { randomUUID } from "node:crypto";
import { afterEach } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { createCharacter } from "@/lib/characters/queries";
import { emptyProfile } from "@/lib/characters/schema";
import type { ChatStreamEvent } from "@/lib/chat/schema";
import { db, pool } from "@/lib/db";
import { type Child, sessionCookie } from "../bench/servers";

export const MODEL = "troupe-sim/base-7b";
export const SECRET = "resilience-secret-resilience-secret-0123456789";

/**
 * Ports of one test file's app and simulator. E2E_PORT_OFFSET moves them with the browser tests'
 * (3100–3103, 8011–8012 plus the offset), so checkouts side by side do not collide.
 */
export function ports(slot: number): { app: number; sim: number } {
  const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);
  return { app: 3150 + offset + slot, sim: 8050 + offset + slot };
}

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL ?? "";
  if (!url.includes("troupe_test")) {
    throw new Error("Run the resilience suite with `npm test -- resilience`, which prepares a fresh test database.");
  }
  return url;
}

/** The environment of the app and the workers: the test database, the simulator, no rate limit. */
export function serverEnv(simUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl(),
    AUTH_SECRET: SECRET,
    LLM_BASE_URL: `${simUrl}/v1`,
    LLM_MODEL: MODEL,
    LLM_API_KEY: "",
    ADMIN_EMAIL: "",
    ADMIN_PASSWORD: "",
    // Capacity is measured, not a per-user limit (0 = off).
    CHAT_RATE_LIMIT_PER_MINUTE: "0",
    // The judge would send its own requests to the simulator and take faults meant for the job.
    CURATION_JUDGE: "off",
    ...extra,
  };
}

export type TestUser = { id: string; email: string; role: "USER" | "ADMIN"; cookie: string };

/** `count` accounts in one statement (one password hash for all: bcrypt per account would take minutes). */
export async function createUsers(prefix: string, count: number, role: "USER" | "ADMIN" = "USER") {
  const passwordHash = await hashPassword("resilience-password");
  const rows = Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    email: `${prefix}-${index}-${Date.now()}@resilience.troupe`,
    name: `${prefix} ${index}`,
    passwordHash,
    role,
  }));
  await db.user.createMany({ data: rows });
  return Promise.all(
    rows.map(
      async (row): Promise<TestUser> => ({
        id: row.id,
        email: row.email,
        role,
        cookie: await sessionCookie(row, SECRET),
      }),
    ),
  );
}

/** A public character with a greeting, owned by `ownerId`. */
export async function createCharacterFor(ownerId: string, name: string) {
  return createCharacter({
    ownerId,
    visibility: "PUBLIC",
    profile: {
      ...emptyProfile(name),
      description: `${name} keeps watch over a harbor town.`,
      greeting: "Hello there.",
    },
    tags: [],
  });
}

/** Start a chat through the API, as the browser does. */
export async function startChat(appUrl: string, user: TestUser, characterId: string): Promise<string> {
  const response = await fetch(`${appUrl}/api/chat`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: user.cookie },
    body: JSON.stringify({ characterId }),
  });
  if (response.status !== 201) throw new Error(`POST /api/chat: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

export type Turn = {
  /** HTTP status of the answer. */
  status: number;
  /** The JSON error of a non-2xx answer. */
  body: unknown;
  start: Extract<ChatStreamEvent, { type: "start" }> | null;
  /** The closing `done` or `error` event; null when the stream ended without one. */
  end: Extract<ChatStreamEvent, { type: "done" | "error" }> | null;
  /** The reply's text as the client received it. */
  text: string;
  /** From sending the request to the first text. */
  ttftMs: number | null;
  ms: number;
  /** The connection broke or the request timed out. */
  transportError: string | null;
};

/**
 * POST a chat request (`messages`, `regenerate`, `continue`) and read the event stream to its end.
 * Never throws: a broken connection is reported in `transportError` with what had arrived.
 */
export async function chatRequest(
  appUrl: string,
  cookie: string,
  conversationId: string,
  action: "messages" | "regenerate" | "continue",
  body: Record<string, unknown>,
  options: { timeoutMs?: number; onEvent?: (event: ChatStreamEvent) => void } = {},
): Promise<Turn> {
  const started = performance.now();
  const turn: Turn = {
    status: 0,
    body: null,
    start: null,
    end: null,
    text: "",
    ttftMs: null,
    ms: 0,
    transportError: null,
  };
  try {
    const response = await fetch(`${appUrl}/api/chat/${conversationId}/${action}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: cookie },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 90_000),
    });
    turn.status = response.status;
    if (!response.ok || !response.body) {
      turn.body = await response.json().catch(() => null);
      return turn;
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (let boundary = buffer.indexOf("\n\n"); boundary >= 0; boundary = buffer.indexOf("\n\n")) {
        const frame = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        if (!frame.startsWith("data: ")) continue;
        const event = JSON.parse(frame.slice("data: ".length)) as ChatStreamEvent;
        options.onEvent?.(event);
        if (event.type === "start") turn.start = event;
        else if (event.type === "delta") {
          turn.ttftMs ??= performance.now() - started;
          turn.text += event.text;
        } else turn.end = event;
      }
    }
  } catch (error) {
    turn.transportError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    turn.ms = performance.now() - started;
  }
  return turn;
}

/** Send a user message. */
export function sendMessage(
  appUrl: string,
  user: TestUser,
  conversationId: string,
  content: string,
  options: Parameters<typeof chatRequest>[5] = {},
) {
  return chatRequest(
    appUrl,
    user.cookie,
    conversationId,
    "messages",
    { content, clientRequestId: randomUUID() },
    options,
  );
}

export type MessageRow = {
  id: string;
  conversationId: string;
  parentId: string | null;
  role: "USER" | "ASSISTANT";
  content: string;
  status: "STREAMING" | "COMPLETE" | "STOPPED" | "FAILED";
  error: string | null;
  clientRequestId: string | null;
  updatedAt: Date;
};

/** Every message of these conversations except the greetings, oldest first (a turn's two rows share a timestamp). */
export async function messagesOf(conversationIds: string[]): Promise<MessageRow[]> {
  const { rows } = await pool.query<MessageRow>(
    `SELECT id, "conversationId", "parentId", role, content, status, error, "clientRequestId", "updatedAt"
       FROM "Message" WHERE "conversationId" = ANY($1::text[]) AND NOT "isGreeting"
      ORDER BY "createdAt", CASE role WHEN 'USER' THEN 0 ELSE 1 END, id`,
    [conversationIds],
  );
  return rows;
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll `check` until it returns a value (not undefined), or fail after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(everyMs);
  }
}

/** When a test of this file fails, print the end of these processes' output: their logs say why. */
export function showOutputOnFailure(processes: () => (Child | undefined)[]): void {
  afterEach((context) => {
    if (context.task.result?.state !== "fail") return;
    for (const child of processes())
      console.log(`--- output of pid ${child?.process.pid}:\n${child?.output().slice(-8_000)}`);
  });
}
