import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { createCharacter } from "@/lib/characters/queries";
import { emptyProfile } from "@/lib/characters/schema";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/lib/users/queries";
import { failStaleStreams, startConversation } from "./queries";
import type { ChatStreamEvent } from "./schema";
import { generateReply, type ReplyRequest } from "./stream";

const MODEL = "troupe-sim/base-7b";
let sim: Simulator;
let userId: string;
let characterId: string;

beforeAll(async () => {
  assertTestDatabase();
  sim = await startSimulator({ port: 0, model: MODEL, ttftMs: 1, itlMs: 2, maxModelLen: 4096 });
  process.env.LLM_BASE_URL = `${sim.url}/v1`;
  process.env.LLM_MODEL = MODEL;
  const user = await createUser({ email: `s-${Date.now()}@unit.troupe`, name: "Sam", password: "pass-word-1" });
  userId = user.id;
  const character = await createCharacter({
    ownerId: user.id,
    profile: { ...emptyProfile("Stream Sid"), greeting: "Hello, {{user}}." },
    tags: [],
  });
  characterId = character.id;
});
afterAll(async () => {
  delete process.env.LLM_BASE_URL;
  delete process.env.LLM_MODEL;
  await sim.close();
});

async function collect(conversationId: string, request: ReplyRequest, signal = new AbortController().signal) {
  const events: ChatStreamEvent[] = [];
  for await (const event of generateReply(userId, conversationId, request, signal)) events.push(event);
  return events;
}

const send = (content: string, clientRequestId = crypto.randomUUID()): ReplyRequest => ({
  kind: "send",
  content,
  clientRequestId,
});

describe("a chat turn", () => {
  it("stores the user message first, streams, and saves the reply with its lineage", async () => {
    const { id } = await startConversation({ id: userId, role: "USER" }, characterId);
    const greeting = await db.message.findFirstOrThrow({ where: { conversationId: id } });
    expect(greeting.content).toBe("Hello, Sam.");
    const events = await collect(id, send("Hi there"));
    expect(events[0]?.type).toBe("start");
    expect(events.filter((event) => event.type === "delta").length).toBeGreaterThan(0);
    const last = events.at(-1);
    if (last?.type !== "done") throw new Error("expected done");
    const reply = await db.message.findUniqueOrThrow({ where: { id: last.message.id } });
    const streamed = events.flatMap((event) => (event.type === "delta" ? [event.text] : [])).join("");
    expect(reply).toMatchObject({
      status: "COMPLETE",
      content: streamed,
      modelId: MODEL,
      templateVersion: "chat-prompt@1",
    });
    expect(reply.promptHash).toMatch(/^[0-9a-f]{64}$/);
    expect(reply.seed).toBeTypeOf("number");
    expect(reply.promptTokens).toBeGreaterThan(0);
    expect(reply.completionTokens).toBeGreaterThan(0);
    const sent = sim.requests.at(-1)?.body as {
      seed: number;
      top_k: number;
      min_p: number;
      messages: { role: string }[];
    };
    expect(sent.seed).toBe(reply.seed);
    expect(sent).toMatchObject({ top_k: -1, min_p: 0.05 });
    expect(sent.messages.map((message) => message.role)).toEqual(["system", "assistant", "user"]);
  });

  it("refuses a second submit with the same id and stores one message", async () => {
    const { id } = await startConversation({ id: userId, role: "USER" }, characterId);
    const request = send("Only once", "same-request-id-1");
    await collect(id, request);
    await expect(collect(id, request)).rejects.toMatchObject({ code: "conflict:duplicate_submit" });
    expect(await db.message.count({ where: { conversationId: id, content: "Only once" } })).toBe(1);
  });

  it("regenerates a sibling reply and records the swipe choice when the chat continues", async () => {
    const { id } = await startConversation({ id: userId, role: "USER" }, characterId);
    const first = await collect(id, send("Pick one"));
    const start = first[0];
    if (start?.type !== "start" || !start.userMessage) throw new Error("expected start");
    const second = await collect(id, { kind: "regenerate", userMessageId: start.userMessage.id });
    const done = second.at(-1);
    if (done?.type !== "done") throw new Error("expected done");
    expect(done.message.siblings.count).toBe(2);
    await collect(id, send("Continuing from the second"));
    const choice = await db.swipeChoice.findFirstOrThrow({ where: { conversationId: id } });
    expect(choice.chosenId).toBe(done.message.id);
    expect(choice.shownIds).toEqual([start.assistantMessage.id]);
  });

  it("continues a reply by appending to it", async () => {
    const { id } = await startConversation({ id: userId, role: "USER" }, characterId);
    const events = await collect(id, send("Tell me more"));
    const done = events.at(-1);
    if (done?.type !== "done") throw new Error("expected done");
    await collect(id, { kind: "continue", messageId: done.message.id });
    const reply = await db.message.findUniqueOrThrow({ where: { id: done.message.id } });
    expect(reply.content.startsWith(done.message.content)).toBe(true);
    expect(reply.content.length).toBeGreaterThan(done.message.content.length);
    expect(reply.status).toBe("COMPLETE");
  });

  it("keeps the partial text and the reason when the stream fails midway", async () => {
    const { id } = await startConversation({ id: userId, role: "USER" }, characterId);
    const events = await collect(id, send("Break please [sim:stream_error@3]"));
    const last = events.at(-1);
    if (last?.type !== "error" || !last.message) throw new Error("expected error");
    expect(last.error.code).toBe("upstream_error:stream");
    const reply = await db.message.findUniqueOrThrow({ where: { id: last.message.id } });
    expect(reply.status).toBe("FAILED");
    expect(reply.content.length).toBeGreaterThan(0);
    expect(await db.message.count({ where: { conversationId: id, role: "USER" } })).toBe(1);
  });

  it("fails the reply with the reason when the server refuses a message too long on its own", async () => {
    const { id } = await startConversation({ id: userId, role: "USER" }, characterId);
    // Pasted JSON: ~3.8 characters a token by Troupe's estimate, one token a symbol to the server.
    const content = `Read this: ${'{"k": [1, 2, 3]}, '.repeat(600)}`;
    const events = await collect(id, send(content));
    const last = events.at(-1);
    if (last?.type !== "error" || !last.message) throw new Error("expected an error event");
    expect(last.error.code).toBe("unprocessable:message_too_long");
    expect(await db.message.findUniqueOrThrow({ where: { id: last.message.id } })).toMatchObject({
      status: "FAILED",
      content: "",
      error: last.error.message,
    });
    expect(await db.message.count({ where: { conversationId: id, role: "USER", content } })).toBe(1);
  });

  it("goes on after a message over the context by the server's count: the next prompt leaves it out", async () => {
    const { id } = await startConversation({ id: userId, role: "USER" }, characterId);
    const pasted = `Read this: ${'{"k": [1, 2, 3]}, '.repeat(350)}`;
    const refused = (await collect(id, send(pasted))).at(-1);
    if (refused?.type !== "error") throw new Error("expected an error event");
    expect(refused.error.code).toBe("unprocessable:message_too_long");
    const next = (await collect(id, send("Shall we talk about something else?"))).at(-1);
    expect(next?.type).toBe("done");
    // Refused once with the pasted text in it, then answered without it.
    const [tooLong, answered] = sim.requests.slice(-2).map((request) => JSON.stringify(request.body));
    expect(tooLong).toContain("Read this");
    expect(answered).not.toContain("Read this");
    expect(answered).toContain("something else");
  });

  it("saves a stopped reply when the caller aborts", async () => {
    const { id } = await startConversation({ id: userId, role: "USER" }, characterId);
    const abort = new AbortController();
    const events: ChatStreamEvent[] = [];
    for await (const event of generateReply(userId, id, send("Slowly [sim:slow@50]"), abort.signal)) {
      events.push(event);
      if (event.type === "delta") abort.abort();
    }
    const last = events.at(-1);
    if (last?.type !== "done") throw new Error("expected done");
    expect(last.message.status).toBe("stopped");
    expect((await db.message.findUniqueOrThrow({ where: { id: last.message.id } })).status).toBe("STOPPED");
  });

  it("marks replies of a crashed process as failed, keeping their text", async () => {
    const { id } = await startConversation({ id: userId, role: "USER" }, characterId);
    const stale = await db.message.create({
      data: {
        conversationId: id,
        role: "ASSISTANT",
        content: "half a sent",
        status: "STREAMING",
        updatedAt: new Date(Date.now() - 120_000),
      },
    });
    expect(await failStaleStreams()).toBeGreaterThanOrEqual(1);
    expect(await db.message.findUniqueOrThrow({ where: { id: stale.id } })).toMatchObject({
      status: "FAILED",
      content: "half a sent",
    });
  });

  it("does not let another user post to the conversation", async () => {
    const { id } = await startConversation({ id: userId, role: "USER" }, characterId);
    const other = await createUser({ email: `o-${Date.now()}@unit.troupe`, name: "Other", password: "pass-word-1" });
    const attempt = async () => {
      for await (const _event of generateReply(other.id, id, send("intrusion"), new AbortController().signal)) {
        // nothing should be yielded
      }
    };
    await expect(attempt()).rejects.toMatchObject({ status: 404 });
    expect(await db.message.count({ where: { conversationId: id, content: "intrusion" } })).toBe(0);
  });
});
