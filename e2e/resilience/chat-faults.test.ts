// Faults during chat, all at once against one app: 5xx answers, errors inside the stream, dropped
// connections, hangs before and after the first token, a slow drip, and refusals (a model the
// server no longer serves, prompts over its context). Each request must end, within bounded time,
// in a complete reply or a clear error event; the user's message is always stored, partial text is
// kept on a FAILED reply, and the chat works again afterwards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatStreamEvent } from "@/lib/chat/schema";
import { db } from "@/lib/db";
import { type Child, startAppProcess, startSimulatorProcess } from "../bench/servers";
import {
  chatRequest,
  createCharacterFor,
  createUsers,
  MODEL,
  messagesOf,
  ports,
  sendMessage,
  serverEnv,
  showOutputOnFailure,
  startChat,
  type TestUser,
  type Turn,
} from "./stack";

const FIRST_TOKEN_TIMEOUT_MS = 3_000;
const IDLE_TIMEOUT_MS = 2_000;
const { app: APP_PORT, sim: SIM_PORT } = ports(1);

let sim: Child;
let app: Child;
let user: TestUser;
let characterId: string;

beforeAll(async () => {
  // Replies of 12–30 tokens, so a slow drip at 200 ms a token still ends within seconds.
  sim = await startSimulatorProcess(
    SIM_PORT,
    ["--model", MODEL, "--ttft-ms", "50", "--itl-ms", "10", "--max-output-tokens", "30", "--max-model-len", "4096"],
    { echoStderr: false },
  );
  app = await startAppProcess(
    APP_PORT,
    serverEnv(sim.url, {
      CHAT_FIRST_TOKEN_TIMEOUT_MS: String(FIRST_TOKEN_TIMEOUT_MS),
      CHAT_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
    }),
    { echoStderr: false },
  );
  [user] = (await createUsers("faults", 1)) as [TestUser];
  characterId = (await createCharacterFor(user.id, "Faulty Fenna")).id;
});

showOutputOnFailure(() => [app, sim]);

afterAll(async () => {
  await app?.stop();
  await sim?.stop();
});

type Expectation = { code: RegExp; message: RegExp; partial: boolean } | "complete";

/** Check what the client saw and what was stored for one turn; returns the stored reply. */
async function expectStored(turn: Turn, content: string, expected: Expectation) {
  expect(turn.status, JSON.stringify(turn.body)).toBe(200);
  expect(turn.transportError).toBeNull();
  const userId = turn.start?.userMessage?.id ?? "";
  const replyId = turn.start?.assistantMessage.id ?? "";
  const rows = await db.message.findMany({ where: { id: { in: [userId, replyId] } } });
  const stored = rows.find((row) => row.id === userId);
  const reply = rows.find((row) => row.id === replyId);
  expect(stored).toMatchObject({ role: "USER", content, status: "COMPLETE" });
  if (expected === "complete") {
    expect(turn.end?.type).toBe("done");
    expect(turn.text.length).toBeGreaterThan(0);
    expect(reply).toMatchObject({ status: "COMPLETE", content: turn.text, parentId: userId });
  } else {
    const end = turn.end as Extract<ChatStreamEvent, { type: "error" }>;
    expect(end?.type).toBe("error");
    expect(end.error.code).toMatch(expected.code);
    expect(end.error.message).toMatch(expected.message);
    expect(end.message?.status).toBe("failed");
    // What the user read before the failure is what is kept.
    expect(reply).toMatchObject({ status: "FAILED", content: turn.text, error: end.error.message });
    if (expected.partial) expect(turn.text.length).toBeGreaterThan(0);
    else expect(turn.text).toBe("");
  }
  return reply;
}

/** Send a message and expect a complete reply: the chat works again. */
async function expectRecovered(conversationId: string) {
  const content = "Are you still there?";
  await expectStored(await sendMessage(app.url, user, conversationId, content), content, "complete");
}

const DIRECTIVE_CASES: { name: string; directive: string; expected: Expectation; withinMs: number }[] = [
  {
    name: "an HTTP 500",
    directive: "[sim:http_500]",
    expected: { code: /^upstream_error:server$/, message: /HTTP 500/, partial: false },
    withinMs: 10_000,
  },
  {
    name: "an error event inside the stream",
    directive: "[sim:stream_error@5]",
    expected: { code: /^upstream_error:stream$/, message: /failed while writing/, partial: true },
    withinMs: 10_000,
  },
  {
    name: "a connection reset mid-stream",
    directive: "[sim:reset@3]",
    expected: { code: /^upstream_unavailable:model$/, message: /broke off/, partial: true },
    withinMs: 10_000,
  },
  {
    name: "a hang after the first tokens",
    directive: "[sim:hang@3]",
    expected: { code: /^upstream_timeout:model$/, message: /stopped sending text/, partial: true },
    withinMs: IDLE_TIMEOUT_MS + 8_000,
  },
  {
    name: "a hang before the first token",
    directive: "[sim:hang@0]",
    expected: { code: /^upstream_timeout:model$/, message: /did not start answering/, partial: false },
    withinMs: FIRST_TOKEN_TIMEOUT_MS + 8_000,
  },
  {
    name: "a slow drip (200 ms a token)",
    directive: "[sim:slow@200]",
    expected: "complete",
    withinMs: 30 * 200 + 14_000,
  },
];

describe.concurrent("chat under model faults", () => {
  for (const { name, directive, expected, withinMs } of DIRECTIVE_CASES) {
    it(`${name}: ${expected === "complete" ? "a complete reply" : "a clear error, partial text kept"}, message stored, chat continues`, async () => {
      const conversationId = await startChat(app.url, user, characterId);
      const content = `Tell me about the old lighthouse ${directive}`;
      const turn = await sendMessage(app.url, user, conversationId, content);
      expect(turn.ms).toBeLessThan(withinMs);
      await expectStored(turn, content, expected);
      await expectRecovered(conversationId);
    });
  }

  it("a refusal (HTTP 404, the model is no longer served): a clear error; once it is served again, Retry succeeds", async () => {
    const conversationId = await startChat(app.url, user, characterId);
    // The adapter this chat was routed to was unloaded from the server.
    await db.conversation.update({ where: { id: conversationId }, data: { modelId: "troupe-sim/retired-adapter-v0" } });
    const content = "Do you remember me?";
    const turn = await sendMessage(app.url, user, conversationId, content);
    const userId = turn.start?.userMessage?.id ?? "";
    await expectStored(turn, content, {
      code: /^upstream_error:model_not_found$/,
      message: /does not serve that model/,
      partial: false,
    });
    await db.conversation.update({ where: { id: conversationId }, data: { modelId: MODEL } });
    const retry = await chatRequest(app.url, user.cookie, conversationId, "regenerate", { userMessageId: userId });
    expect(retry.end?.type).toBe("done");
    // The empty failed reply gave way to the retry's; the user's message is still there, once.
    const rows = await messagesOf([conversationId]);
    expect(rows.map((row) => [row.role, row.status])).toEqual([
      ["USER", "COMPLETE"],
      ["ASSISTANT", "COMPLETE"],
    ]);
    expect(rows[1]).toMatchObject({ parentId: userId, content: retry.text });
  });

  // The app estimates tokens at ~3.8 characters each; the server counts every symbol of pasted
  // JSON as one. Its 400 "maximum context length" is the refusal.
  it("a refusal (HTTP 400, over the context by the server's count): a clear error, message stored; Retry is refused the same way, the next message gets a reply", async () => {
    const conversationId = await startChat(app.url, user, characterId);
    const content = `Please read this: ${'{"k": [1, 2, 3]}, '.repeat(350)}`;
    const expected = { code: /^unprocessable:message_too_long$/, message: /message is too long/, partial: false };
    const turn = await sendMessage(app.url, user, conversationId, content);
    expect(turn.ms).toBeLessThan(10_000);
    await expectStored(turn, content, expected);
    const retry = await chatRequest(app.url, user.cookie, conversationId, "regenerate", {
      userMessageId: turn.start?.userMessage?.id,
    });
    expect(retry.end).toMatchObject({ type: "error", error: { code: "unprocessable:message_too_long" } });
    // The prompt of the next turn leaves the pasted message out, by the server's count.
    await expectRecovered(conversationId);
    expect(
      (await messagesOf([conversationId])).filter((row) => row.role === "USER" && row.content === content),
    ).toHaveLength(1);
  });
});

it("a burst of five 503s across eight concurrent chats: five clear errors, three replies; Retry succeeds for all five", async () => {
  const conversations = await Promise.all(Array.from({ length: 8 }, () => startChat(app.url, user, characterId)));
  const armed = await fetch(`${sim.url}/sim/faults`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(["http_503:5"]),
  });
  expect(armed.status).toBe(200);
  const content = "What is the weather like at the harbor?";
  const turns = await Promise.all(conversations.map((id) => sendMessage(app.url, user, id, content)));
  const failed = turns.flatMap((turn, index) =>
    turn.end?.type === "error" ? [{ turn, id: conversations[index] ?? "" }] : [],
  );
  expect(failed).toHaveLength(5);
  expect(turns.filter((turn) => turn.end?.type === "done")).toHaveLength(3);
  for (const turn of turns) {
    await expectStored(
      turn,
      content,
      turn.end?.type === "done" ? "complete" : { code: /^upstream_error:server$/, message: /HTTP 503/, partial: false },
    );
  }
  const retries = await Promise.all(
    failed.map(({ turn, id }) =>
      chatRequest(app.url, user.cookie, id, "regenerate", { userMessageId: turn.start?.userMessage?.id }),
    ),
  );
  expect(retries.map((retry) => retry.end?.type)).toEqual(["done", "done", "done", "done", "done"]);
  // Each chat: its one user message and one complete reply.
  const rows = await messagesOf(conversations);
  for (const id of conversations) {
    const mine = rows.filter((row) => row.conversationId === id);
    expect(mine.map((row) => [row.role, row.status, row.content.length > 0])).toEqual([
      ["USER", "COMPLETE", true],
      ["ASSISTANT", "COMPLETE", true],
    ]);
  }
});

it("every failure above was one the app knew: no unexpected error in its log", () => {
  expect(app.output()).not.toMatch(/\[api\] unexpected error|\[chat\] stream failed|\[llm\] unexpected model error/);
});
