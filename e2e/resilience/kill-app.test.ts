// kill -9 of the app while replies stream: the whole process group (`next start` and its
// `next-server`) dies without a chance to clean up. Restarted on the same database, the database
// must be consistent (every user message there, each reply complete or left streaming with the
// text of its last checkpoint), the chat must show that reply as interrupted with its partial
// text, and the chat must go on.
import { afterAll, beforeAll, expect, it } from "vitest";
import { STALE_STREAM_MS } from "@/lib/chat/queries";
import type { ChatMessageView } from "@/lib/chat/schema";
import { type Child, startAppProcess, startSimulatorProcess } from "../bench/servers";
import {
  createCharacterFor,
  createUsers,
  MODEL,
  messagesOf,
  pause,
  ports,
  sendMessage,
  serverEnv,
  showOutputOnFailure,
  startChat,
  type TestUser,
  type Turn,
  waitUntil,
} from "./stack";

const { app: APP_PORT, sim: SIM_PORT } = ports(3);
const CHATS = 6;
/** Replies are checkpointed every 3 s; the kill comes after this much streaming. */
const STREAMING_BEFORE_KILL_MS = 4_500;

let sim: Child;
let app: Child;
let user: TestUser;
let conversations: string[] = [];
/** The slow turns the kill cut off, by conversation. */
const cut = new Map<string, Turn>();
/** Conversations whose message was sent at the moment of the kill. */
let racing: string[] = [];

beforeAll(async () => {
  // Replies of 120–160 tokens: instant at 5 ms a token, 12–16 s with `[sim:slow@100]`.
  sim = await startSimulatorProcess(
    SIM_PORT,
    ["--model", MODEL, "--ttft-ms", "50", "--itl-ms", "5", "--min-output-tokens", "120", "--max-output-tokens", "160"],
    { echoStderr: false },
  );
  app = await startAppProcess(APP_PORT, serverEnv(sim.url), { echoStderr: false });
  [user] = (await createUsers("kill-app", 1)) as [TestUser];
});

showOutputOnFailure(() => [app]);

afterAll(async () => {
  await app?.stop();
  await sim?.stop();
});

const startApp = () => startAppProcess(APP_PORT, serverEnv(sim.url), { echoStderr: false });

it("kill -9 of the app's process group mid-stream cuts every stream off", async () => {
  const { id: characterId } = await createCharacterFor(user.id, "Killed Kai");
  conversations = await Promise.all(Array.from({ length: CHATS }, () => startChat(app.url, user, characterId)));
  racing = await Promise.all(Array.from({ length: 3 }, () => startChat(app.url, user, characterId)));
  // A finished turn first in each chat: it must come through the kill untouched.
  for (const turn of await Promise.all(conversations.map((id) => sendMessage(app.url, user, id, "Good evening.")))) {
    expect(turn.end?.type).toBe("done");
  }

  const firstText = new Map<string, number>();
  const streams = conversations.map((id) =>
    sendMessage(app.url, user, id, "Tell me the whole story of the wreck [sim:slow@100]", {
      onEvent: (event) => {
        if (event.type === "delta" && !firstText.has(id)) firstText.set(id, Date.now());
      },
    }).then((turn) => cut.set(id, turn)),
  );
  await waitUntil(
    "every reply to stream long enough for a checkpoint",
    async () =>
      conversations.every((id) => Date.now() - (firstText.get(id) ?? Date.now()) > STREAMING_BEFORE_KILL_MS)
        ? true
        : undefined,
    30_000,
    100,
  );
  // More messages on their way in as the server dies: stored with their reply, or not at all.
  const inFlight = racing.map((id) => sendMessage(app.url, user, id, "Are you there?"));
  await pause(20);
  await app.kill();
  await Promise.all([...streams, ...inFlight]);

  console.log(
    `kill -9 of the app: ${CHATS} replies cut off after ${[...cut.values()].map((turn) => turn.text.length).join(", ")} characters`,
  );
  for (const id of conversations) {
    const turn = cut.get(id);
    expect(turn?.end).toBeNull();
    expect(turn?.transportError).not.toBeNull();
    expect(turn?.text.length).toBeGreaterThan(0);
  }
});

it("after a restart the database is consistent: messages stored, each reply complete or streaming with its checkpoint", async () => {
  const restarting = performance.now();
  app = await startApp();
  console.log(`restarted in ${((performance.now() - restarting) / 1000).toFixed(1)} s`);
  const rows = await messagesOf(conversations);
  for (const id of conversations) {
    const mine = rows.filter((row) => row.conversationId === id);
    expect(mine.map((row) => [row.role, row.status])).toEqual([
      ["USER", "COMPLETE"],
      ["ASSISTANT", "COMPLETE"],
      ["USER", "COMPLETE"],
      ["ASSISTANT", "STREAMING"],
    ]);
    const [, , question, reply] = mine;
    const turn = cut.get(id);
    expect(question?.id).toBe(turn?.start?.userMessage?.id);
    expect(reply?.parentId).toBe(question?.id);
    // The last checkpoint: a non-empty prefix of what the client had read.
    expect(reply?.content.length).toBeGreaterThan(0);
    expect(turn?.text.startsWith(reply?.content ?? "-")).toBe(true);
  }
  // A message that raced the kill is stored with its reply or not at all, never alone.
  const raced = await messagesOf(racing);
  for (const id of racing) {
    const mine = raced.filter((row) => row.conversationId === id);
    expect(mine.map((row) => row.role)).toEqual(mine.length === 0 ? [] : ["USER", "ASSISTANT"]);
    if (mine.length > 0) expect(mine[1]?.parentId).toBe(mine[0]?.id);
  }
});

it("the chat's API and page show the cut-off reply as interrupted, its partial text kept", async () => {
  const rows = await messagesOf(conversations);
  for (const id of conversations) {
    const reply = rows.filter((row) => row.conversationId === id).at(-1);
    // Interrupted once nothing has checkpointed it for STALE_STREAM_MS.
    const shown = await waitUntil(
      "the reply to show as interrupted",
      async () => {
        const state = (await (
          await fetch(`${app.url}/api/chat/${id}`, { headers: { Cookie: user.cookie } })
        ).json()) as {
          messages: ChatMessageView[];
        };
        const view = state.messages.find((message) => message.id === reply?.id);
        return view?.status === "interrupted" ? view : undefined;
      },
      STALE_STREAM_MS + 20_000,
      1_000,
    );
    expect(shown.content).toBe(reply?.content);
    const page = await fetch(`${app.url}/chat/${id}`, { headers: { Cookie: user.cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`data-status="interrupted" data-message-id="${reply?.id}"`);
    expect(html).toContain("Interrupted — the server stopped while writing this reply");
  }
});

it("the chat goes on: a new message gets a complete reply, the interrupted one is kept", async () => {
  const before = await messagesOf(conversations);
  const turns = await Promise.all(conversations.map((id) => sendMessage(app.url, user, id, "Shall we go on?")));
  const after = await messagesOf(conversations);
  for (const [index, id] of conversations.entries()) {
    const turn = turns[index];
    expect(turn?.end?.type).toBe("done");
    const mine = after.filter((row) => row.conversationId === id);
    expect(mine).toHaveLength(6);
    expect(mine[3]).toMatchObject({
      status: "STREAMING",
      content: before.find((row) => row.id === mine[3]?.id)?.content,
    });
    expect(mine[4]).toMatchObject({ role: "USER", content: "Shall we go on?", status: "COMPLETE" });
    expect(mine[5]).toMatchObject({ role: "ASSISTANT", status: "COMPLETE", content: turn?.text });
  }
});
