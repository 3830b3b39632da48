import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { arenaLeaderboard } from "@/lib/arena/leaderboard";
import { createBattle, recordSideMessage, setInArena, startArenaChat, voteBattle } from "@/lib/arena/queries";
import { createCharacter } from "@/lib/characters/queries";
import { emptyProfile } from "@/lib/characters/schema";
import { editAssistantMessage, startConversation } from "@/lib/chat/queries";
import type { ChatStreamEvent } from "@/lib/chat/schema";
import { generateReply, type ReplyOptions, type ReplyRequest } from "@/lib/chat/stream";
import { db } from "@/lib/db";
import { registerModelVersion, saveEndpoint } from "@/lib/models/queries";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser, setTrainingConsent } from "@/lib/users/queries";
import { exportFeedback } from "./export";
import { offerConversation, rateMessage, recordTreePreferences } from "./record";

const MODEL = "troupe-sim/base-7b";
const run = Date.now().toString(36);
let sim: Simulator;
let consenting: { id: string; role: "USER" };
let declining: { id: string; role: "USER" };
let characterId: string;

async function collect(userId: string, conversationId: string, request: ReplyRequest, options: ReplyOptions = {}) {
  const events: ChatStreamEvent[] = [];
  for await (const event of generateReply(userId, conversationId, request, new AbortController().signal, options)) {
    events.push(event);
  }
  const last = events.at(-1);
  if (last?.type !== "done") throw new Error(`expected a finished reply, got ${JSON.stringify(last)}`);
  const start = events[0];
  if (start?.type !== "start") throw new Error("expected start");
  return { reply: last.message, userMessage: start.userMessage };
}

const send = (content: string) => ({ kind: "send" as const, content, clientRequestId: crypto.randomUUID() });

async function lines(format: Parameters<typeof exportFeedback>[0]) {
  let text = "";
  for await (const chunk of exportFeedback(format)) text += chunk;
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const value = await read();
    if (ok(value) || attempt > 40) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  assertTestDatabase();
  sim = await startSimulator({ port: 0, model: MODEL, ttftMs: 0, itlMs: 0 });
  process.env.LLM_BASE_URL = `${sim.url}/v1`;
  process.env.LLM_MODEL = MODEL;
  const make = async (name: string, consent: boolean) => {
    const user = await createUser({ email: `${name}-${run}@unit.troupe`, name, password: "pass-word-1" });
    if (consent) await setTrainingConsent(user.id, true);
    return { id: user.id, role: "USER" as const };
  };
  consenting = await make("Connie", true);
  declining = await make("Dexter", false);
  characterId = (
    await createCharacter({
      ownerId: consenting.id,
      profile: { ...emptyProfile("Feedback Fay"), greeting: "Hello there." },
      tags: [],
      visibility: "PUBLIC",
    })
  ).id;
});

afterAll(async () => {
  // The arena is instance-wide: leave it as it was.
  await db.modelVersion.updateMany({ where: { name: { endsWith: run } }, data: { inArena: false } });
  delete process.env.LLM_BASE_URL;
  delete process.env.LLM_MODEL;
  await sim.close();
});

describe("ratings", () => {
  it("keeps a KTO row and a repair seed in step with the thumb, with lineage", async () => {
    const { id } = await startConversation(consenting, characterId);
    const { reply } = await collect(consenting.id, id, send("Rate me"));
    await rateMessage(consenting, id, { messageId: reply.id, value: 1, reasons: ["great_roleplay"] });
    const key = `kto:rating:${consenting.id}:${reply.id}`;
    const up = await db.trainingSample.findUniqueOrThrow({ where: { dedupeKey: key } });
    expect(up).toMatchObject({ kind: "KTO", source: "RATING", label: true, chosen: reply.content });
    expect((up.prompt as { role: string }[]).map((turn) => turn.role)).toEqual(["system", "assistant", "user"]);
    expect(up.lineage).toMatchObject({ modelId: MODEL, promptExact: true, reasons: ["great_roleplay"] });

    await rateMessage(consenting, id, { messageId: reply.id, value: -1, reasons: ["repetitive"], comment: "loops" });
    expect((await db.trainingSample.findUniqueOrThrow({ where: { dedupeKey: key } })).label).toBe(false);
    expect(await db.repairSeed.count({ where: { messageId: reply.id } })).toBe(1);

    await rateMessage(consenting, id, { messageId: reply.id, value: null });
    expect(await db.trainingSample.count({ where: { dedupeKey: key } })).toBe(0);
    expect(await db.repairSeed.count({ where: { messageId: reply.id } })).toBe(0);
    const events = await db.feedbackEvent.findMany({ where: { messageId: reply.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((event) => event.rating)).toEqual([1, -1, 0]);
    expect(events.every((event) => event.consented && event.promptHash !== null)).toBe(true);
  });

  it("refuses to rate a message in someone else's chat", async () => {
    const { id } = await startConversation(consenting, characterId);
    const { reply } = await collect(consenting.id, id, send("Mine"));
    await expect(rateMessage(declining, id, { messageId: reply.id, value: 1 })).rejects.toMatchObject({ status: 404 });
  });

  it("logs a non-consenting user's thumbs but derives nothing from them", async () => {
    const { id } = await startConversation(declining, characterId);
    const { reply } = await collect(declining.id, id, send("No training please"));
    await rateMessage(declining, id, { messageId: reply.id, value: -1 });
    expect(await db.feedbackEvent.findFirst({ where: { messageId: reply.id } })).toMatchObject({ consented: false });
    expect(await db.trainingSample.count({ where: { userId: declining.id } })).toBe(0);
    expect(await db.repairSeed.count({ where: { userId: declining.id } })).toBe(0);
  });
});

describe("offered chats and reviewed rows", () => {
  it("a consenting user offers a chat: one SFT row of the whole conversation, every reply trained, stored once", async () => {
    const { id } = await startConversation(consenting, characterId);
    await collect(consenting.id, id, send("First question"));
    const { reply } = await collect(consenting.id, id, send("Second question"));
    expect(await offerConversation(consenting, id, { messageId: reply.id })).toEqual({ offered: true, turns: 5 });
    expect(await offerConversation(consenting, id, { messageId: reply.id })).toMatchObject({ offered: false });
    const row = await db.trainingSample.findUniqueOrThrow({
      where: { dedupeKey: `chat:${consenting.id}:${id}:${reply.id}` },
    });
    expect(row).toMatchObject({
      kind: "SFT",
      source: "CHAT",
      trainOn: "ALL",
      chosen: reply.content,
      userId: consenting.id,
    });
    expect((row.prompt as { role: string }[]).map((turn) => turn.role)).toEqual([
      "system",
      "assistant",
      "user",
      "assistant",
      "user",
    ]);
    const { userMessage, reply: third } = await collect(consenting.id, id, send("Third"));
    // A longer offer of the same chat replaces the unreviewed shorter one: no reply trained twice.
    expect(await offerConversation(consenting, id, { messageId: third.id })).toMatchObject({ offered: true });
    expect(
      await db.trainingSample.count({
        where: { source: "CHAT", dedupeKey: { startsWith: `chat:${consenting.id}:${id}:` } },
      }),
    ).toBe(1);
    await expect(offerConversation(consenting, id, { messageId: userMessage?.id as string })).rejects.toMatchObject({
      code: "bad_request:not_offerable",
    });
    await expect(offerConversation(declining, id, { messageId: reply.id })).rejects.toMatchObject({ status: 404 });
  });

  it("refuses an offer without training consent", async () => {
    const { id } = await startConversation(declining, characterId);
    const { reply } = await collect(declining.id, id, send("Keep this private"));
    await expect(offerConversation(declining, id, { messageId: reply.id })).rejects.toMatchObject({
      code: "forbidden:consent",
      status: 403,
    });
    expect(await db.trainingSample.count({ where: { userId: declining.id } })).toBe(0);
  });

  it("a reviewed thumbs row stays as reviewed when the thumb changes or goes", async () => {
    const { id } = await startConversation(consenting, characterId);
    const { reply } = await collect(consenting.id, id, send("Judge me"));
    await rateMessage(consenting, id, { messageId: reply.id, value: 1 });
    const key = `kto:rating:${consenting.id}:${reply.id}`;
    await db.trainingSample.update({ where: { dedupeKey: key }, data: { state: "APPROVED" } });
    await rateMessage(consenting, id, { messageId: reply.id, value: -1 });
    expect(await db.trainingSample.findUniqueOrThrow({ where: { dedupeKey: key } })).toMatchObject({
      state: "APPROVED",
      label: true,
    });
    await rateMessage(consenting, id, { messageId: reply.id, value: null });
    expect(await db.trainingSample.count({ where: { dedupeKey: key } })).toBe(1);
  });
});

describe("swipes and edits", () => {
  it("turns continuing from a regenerated reply into a preference pair", async () => {
    const { id } = await startConversation(consenting, characterId);
    const first = await collect(consenting.id, id, send("Two takes"));
    if (!first.userMessage) throw new Error("expected the user message");
    const second = await collect(consenting.id, id, { kind: "regenerate", userMessageId: first.userMessage.id });
    await collect(consenting.id, id, send("I like the second"));
    const pair = await eventually(
      () => db.trainingSample.findUnique({ where: { dedupeKey: `pref:swipe:${second.reply.id}:${first.reply.id}` } }),
      (row) => row !== null,
    );
    expect(pair).toMatchObject({
      kind: "PREFERENCE",
      source: "SWIPE",
      chosen: second.reply.content,
      rejected: first.reply.content,
    });
    expect(await db.feedbackEvent.count({ where: { kind: "SWIPE", messageId: second.reply.id } })).toBe(1);
  });

  it("turns an edit into a pair and an SFT row, once", async () => {
    const { id } = await startConversation(consenting, characterId);
    const { reply } = await collect(consenting.id, id, send("Say it better"));
    const edited = await editAssistantMessage(id, reply.id, "*Fay smiles.* Better now.");
    await recordTreePreferences(consenting.id, id, edited.id);
    await recordTreePreferences(consenting.id, id, edited.id);
    const rows = await db.trainingSample.findMany({ where: { lineage: { path: ["messageId"], equals: edited.id } } });
    expect(rows.map((row) => `${row.kind}:${row.source}`).sort()).toEqual(["PREFERENCE:EDIT", "SFT:EDIT"]);
    expect(rows.find((row) => row.kind === "PREFERENCE")).toMatchObject({
      chosen: "*Fay smiles.* Better now.",
      rejected: reply.content,
    });
    expect(await db.feedbackEvent.count({ where: { kind: "EDIT", messageId: edited.id } })).toBe(1);
  });
});

describe("the arena", () => {
  it("runs a blind round, records the vote as a pair, and moves the leaderboard", async () => {
    // Two versions of the same base model, each on its own endpoint (a served id is unique per endpoint).
    const versions = [];
    for (const side of ["left", "right"]) {
      await saveEndpoint({ name: `arena-${side}-${run}`, kind: "VLLM", baseUrl: sim.url });
      versions.push(
        await registerModelVersion({
          name: `Arena ${side} ${run}`,
          servedModelId: MODEL,
          endpointName: `arena-${side}-${run}`,
        }),
      );
    }
    for (const version of versions) await setInArena(version.id, true);

    const { id } = await startArenaChat(consenting, characterId);
    const battle = await createBattle(consenting, id, {
      content: "Who answers better?",
      clientRequestId: crypto.randomUUID(),
    });
    await expect(
      createBattle(consenting, id, { content: "Too soon", clientRequestId: crypto.randomUUID() }),
    ).rejects.toMatchObject({ code: "conflict:vote_pending" });
    const round = await db.arenaBattle.findUniqueOrThrow({ where: { id: battle.battleId } });
    expect(round.versionAId).not.toBe(round.versionBId);
    for (const side of ["A", "B"] as const) {
      await collect(
        consenting.id,
        id,
        { kind: "regenerate", userMessageId: round.userMessageId },
        {
          modelVersionId: side === "A" ? round.versionAId : round.versionBId,
          onReplyCreated: (messageId) => recordSideMessage(round.id, side, messageId),
        },
      );
    }
    const before = await arenaLeaderboard();
    const result = await voteBattle(consenting, id, round.id, "B");
    expect(Object.values(result.revealed).sort()).toEqual(
      versions
        .filter((v) => [round.versionAId, round.versionBId].includes(v.id))
        .map((v) => v.name)
        .sort(),
    );
    const after = await arenaLeaderboard();
    expect(after.battles).toBe(before.battles + 1);
    const winner = after.ratings.find((rating) => rating.model === round.versionBId);
    expect(winner?.wins).toBeGreaterThanOrEqual(1);
    const done = await db.arenaBattle.findUniqueOrThrow({ where: { id: round.id } });
    const pair = await db.trainingSample.findUniqueOrThrow({ where: { dedupeKey: `pref:arena:${round.id}` } });
    const [replyA, replyB] = await Promise.all([
      db.message.findUniqueOrThrow({ where: { id: done.messageAId ?? "" } }),
      db.message.findUniqueOrThrow({ where: { id: done.messageBId ?? "" } }),
    ]);
    expect(pair).toMatchObject({ source: "ARENA", chosen: replyB.content, rejected: replyA.content });
    expect((await db.message.findUniqueOrThrow({ where: { id: round.userMessageId } })).selectedChildId).toBe(
      replyB.id,
    );
    await expect(voteBattle(consenting, id, round.id, "A")).rejects.toMatchObject({ code: "conflict:voted" });
  });
});

describe("exports and erasure", () => {
  it("writes the trainer formats exactly and never includes a non-consenting user's data", async () => {
    const dpo = await lines("trl-dpo");
    expect(dpo.length).toBeGreaterThan(0);
    for (const row of dpo) {
      expect(Object.keys(row).sort()).toEqual(["chosen", "prompt", "rejected"]);
      expect(row.chosen).toEqual([{ role: "assistant", content: expect.any(String) }]);
    }
    const openai = await lines("openai-dpo");
    expect(Object.keys(openai[0]).sort()).toEqual(["input", "non_preferred_output", "preferred_output"]);
    expect(openai[0].input.messages[0].role).toBe("system");
    for (const row of await lines("trl-kto")) expect(typeof row.label).toBe("boolean");
    const events = await lines("events");
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((event) => event.userId === declining.id)).toBe(false);
    const everything = JSON.stringify([dpo, openai, await lines("trl-kto")]);
    expect(everything).not.toContain("No training please");
  });

  it("erases a user's samples when they withdraw consent, and records it", async () => {
    expect(
      await db.trainingSample.count({ where: { userId: consenting.id, state: { not: "ERASED" } } }),
    ).toBeGreaterThan(0);
    await setTrainingConsent(consenting.id, false);
    const left = await db.trainingSample.findMany({ where: { userId: consenting.id } });
    expect(left.every((row) => row.state === "ERASED" && row.chosen === "" && row.rejected === null)).toBe(true);
    expect(await db.auditLog.findFirst({ where: { action: "samples.erased", targetId: consenting.id } })).toMatchObject(
      {
        details: { reason: "consent_withdrawn", samples: left.length },
      },
    );
    expect(JSON.stringify(await lines("trl-dpo"))).not.toContain("Better now");
  });
});

describe("stats", () => {
  it("computes rates per model, per character and per day from the recorded signals", async () => {
    const { dailyRates, feedbackStats } = await import("./stats");
    const byModel = await feedbackStats("model");
    const base = byModel.find((row) => row.label === MODEL);
    expect(base?.replies).toBeGreaterThan(0);
    expect(base?.regenerations).toBeGreaterThan(0);
    expect(base?.edits).toBeGreaterThan(0);
    expect(base?.regenerateRate).toBeCloseTo((base?.regenerations ?? 0) / (base?.replies ?? 1));
    const arena = byModel.find((row) => row.arenaBattles > 0);
    expect(arena?.arenaWinRate).not.toBeNull();
    // The arena's second answer is not a regeneration.
    expect(arena?.regenerations).toBe(0);
    const byCharacter = await feedbackStats("character");
    expect(byCharacter.find((row) => row.label === "Feedback Fay")?.replies).toBeGreaterThan(0);
    const daily = await dailyRates(7);
    expect(daily.regenerate.length).toBeGreaterThan(0);
  });
});
