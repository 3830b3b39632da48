import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { db } from "@/lib/db";
import { executeJob } from "@/lib/synthesis/service";
import { assertTestDatabase } from "@/lib/testing/db";
import { rightCandidate } from "./candidates";
import { ensureBuiltinSuites, importSuite, suiteItems } from "./queries";
import { compareEvalRuns, evalRunDetail, startEvalRun, suiteLeaderboard } from "./run";
import { CANDIDATE_LETTERS, type KnowledgeItem } from "./schema";

const MODEL = "troupe-sim/base-7b";
const run = Date.now().toString(36);
let sim: Simulator;

const character = (name: string) => ({ name, intro: `You are ${name}.`, summary: `${name} keeps a lighthouse.` });
const turn = (
  session: string,
  index: number,
  name: string,
  question: string,
  type: "role_specific" | "out_of_knowledge",
) =>
  JSON.stringify({
    session,
    turn: index,
    character: character(name),
    question,
    type,
    evidence: "notes",
    language: "en",
  });

const SUITE = [
  JSON.stringify({ suite: { name: `eval-test-${run}`, kind: "knowledge", description: "five turns", version: 1 } }),
  turn("ada", 0, "Ada", "Q-ada-0 what do you keep?", "role_specific"),
  turn("ada", 1, "Ada", "Q-ada-1 what is a smartphone?", "out_of_knowledge"),
  turn("bo", 0, "Bo", "Q-bo-0 where do you sail?", "role_specific"),
  turn("cy", 0, "Cy", "Q-cy-0 what do you forge?", "role_specific"),
  turn("di", 0, "Di", "Q-di-0 what do you sing?", "role_specific"),
].join("\n");

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Scripted judge replies, matched on the judge's own prompt layout for one question. */
const consistency = (question: string, reply: string, times: number) => ({
  match: `/^## Question\\n${escapeRegex(question)}/`,
  reply: `Reasoning.\n${reply}`,
  times,
});
const knowledge = (question: string, reply: string, times: number) => ({
  match: `/^## Character[\\s\\S]*## Notes for the grader[\\s\\S]*## Question\\n${escapeRegex(question)}/`,
  reply: `Reasoning.\n${reply}`,
  times,
});
const rejection = (question: string, reply: string, times: number) => ({
  match: `/^## Character\\n[^\\n]*\\n\\n## Question\\n${escapeRegex(question)}/`,
  reply: `Reasoning.\n${reply}`,
  times,
});

beforeAll(async () => {
  assertTestDatabase();
  sim = await startSimulator({ port: 0, model: MODEL, ttftMs: 0, itlMs: 0 });
  process.env.LLM_BASE_URL = `${sim.url}/v1`;
  process.env.LLM_MODEL = MODEL;
});

afterAll(async () => {
  delete process.env.LLM_BASE_URL;
  delete process.env.LLM_MODEL;
  await sim.close();
});

describe("evaluation runs", () => {
  it("answers sessions in order, judges each answer n times, and aggregates to hand-computed scores", async () => {
    const suite = await importSuite(Readable.from([SUITE]), { createdById: null });
    expect(suite).toMatchObject({ kind: "knowledge", itemCount: 5, version: 1 });
    const items = (await suiteItems(suite.id)) as KnowledgeItem[];
    const right = (index: number) => rightCandidate(items[index] as KnowledgeItem) as string;
    const wrong = (index: number) => CANDIDATE_LETTERS.find((letter) => letter !== right(index)) as string;
    sim.setScript([
      // Ada turn 0: consistency 2 of 3; knowledge 7, 9 and an unreadable reply; not refused (gold: answer).
      consistency("Q-ada-0", right(0), 2),
      consistency("Q-ada-0", wrong(0), 1),
      knowledge("Q-ada-0", "7", 1),
      knowledge("Q-ada-0", "9", 1),
      knowledge("Q-ada-0", "no idea", 1),
      rejection("Q-ada-0", "0", 3),
      // Ada turn 1: consistency 3 of 3; knowledge 4; refusal votes 1, 0 and garbage — a tie counts as not refusing.
      consistency("Q-ada-1", right(1), 3),
      knowledge("Q-ada-1", "4", 3),
      rejection("Q-ada-1", "1", 1),
      rejection("Q-ada-1", "0", 1),
      rejection("Q-ada-1", "maybe", 1),
      // Bo: every consistency reply unreadable (excluded); knowledge 10; 2 of 3 say answered.
      consistency("Q-bo-0", "I cannot tell.", 3),
      knowledge("Q-bo-0", "10", 3),
      rejection("Q-bo-0", "0", 2),
      rejection("Q-bo-0", "1", 1),
      // Cy: always the wrong candidate; knowledge 2; answered.
      consistency("Q-cy-0", wrong(3), 3),
      knowledge("Q-cy-0", "2", 3),
      rejection("Q-cy-0", "0", 3),
      // Di: right; knowledge 6; refused although it should have answered.
      consistency("Q-di-0", right(4), 3),
      knowledge("Q-di-0", "6", 3),
      rejection("Q-di-0", "1", 3),
    ]);
    sim.clearRequests();
    const evalRun = await startEvalRun({
      suiteId: suite.id,
      modelVersionId: null,
      judgeVersionId: null,
      samples: 3,
      createdById: null,
      enqueue: false,
    });
    await executeJob(evalRun.jobId, { concurrency: 4 });
    const detail = await evalRunDetail(evalRun.id);
    const metric = (name: string) => detail.aggregate.metrics.find((row) => row.metric === name);

    // consistency: Ada mean(2/3, 1) = 5/6, Bo excluded, Cy 0, Di 1 → mean 0.6111, sd 0.5358
    expect(metric("consistency")?.mean).toBeCloseTo((5 / 6 + 0 + 1) / 3, 6);
    expect(metric("consistency")?.sd).toBeCloseTo(0.53576, 4);
    expect(metric("consistency")?.characters).toBe(3);
    // knowledge: Ada mean(8, 4) = 6, Bo 10, Cy 2, Di 6 → mean 6, sd sqrt(32/3) = 3.266
    expect(metric("knowledge")?.mean).toBeCloseTo(6, 6);
    expect(metric("knowledge")?.sd).toBeCloseTo(Math.sqrt(32 / 3), 6);
    // rejection accuracy: Ada mean(1, 0) = 0.5, Bo 1, Cy 1, Di 0 → 0.625, sd 0.4787
    expect(metric("rejection")?.mean).toBeCloseTo(0.625, 6);
    expect(metric("rejection")?.sd).toBeCloseTo(0.47871, 4);
    // unreadable: 1 knowledge (Ada 0) + 1 rejection (Ada 1) + 3 consistency (Bo) = 5; Bo's consistency excluded
    expect(detail.aggregate.counts).toMatchObject({ items: 5, sessions: 4, parseFailures: 5, excluded: 1, missing: 0 });
    expect(detail.job).toMatchObject({ status: "COMPLETED", parseFailures: 5 });
    expect(
      detail.aggregate.judges.every((judge) => judge.judgeModel === MODEL && judge.templateHash.length === 64),
    ).toBe(true);
    const ada1 = detail.items.find((row) => row.key === "ada#1");
    expect(ada1?.judgements).toHaveLength(9);
    expect(ada1?.judgements.map((judgement) => judgement.raw)).toContain("Reasoning.\nmaybe");

    // Turn 1 of Ada's session was asked with turn 0's question and the model's own answer before it.
    const asked = sim.requests
      .map((request) => request.body as { messages: { role: string; content: string }[] })
      .filter((body) => body.messages.at(-1)?.content.startsWith("Q-ada-1"));
    expect(asked).toHaveLength(1);
    const history = asked[0]?.messages.filter((message) => message.role !== "system") ?? [];
    expect(history.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
    expect(history[0]?.content).toContain("Q-ada-0");
    expect(history[1]?.content).toBe(detail.items.find((row) => row.key === "ada#0")?.answer);

    // A second run whose judge now picks Di wrongly lists Di's turn among the items that got worse.
    sim.setScript([consistency("Q-di-0", wrong(4), 3)]);
    const second = await startEvalRun({
      suiteId: suite.id,
      modelVersionId: null,
      judgeVersionId: null,
      samples: 3,
      createdById: null,
      enqueue: false,
    });
    await executeJob(second.jobId, { concurrency: 4 });
    const { comparison } = await compareEvalRuns(evalRun.id, second.id);
    expect(comparison.worse.map((row) => `${row.itemKey}:${row.dimension}`)).toContain("di#0:consistency");
    const board = await suiteLeaderboard(suite.id);
    expect(board.runs).toHaveLength(2);
    expect(board.runs.every((row) => row.aggregate !== null)).toBe(true);
    expect(board.published.length).toBeGreaterThan(0);
  });

  it("resumes a run after its worker stops mid-way, with every item answered once", async () => {
    const suite = await importSuite(Readable.from([SUITE.replace(`eval-test-${run}`, `eval-resume-${run}`)]), {
      createdById: null,
    });
    sim.setScript([]);
    sim.setConfig({ ttftMs: 150 });
    const evalRun = await startEvalRun({
      suiteId: suite.id,
      modelVersionId: null,
      judgeVersionId: null,
      samples: 1,
      createdById: null,
      enqueue: false,
    });
    const stop = new AbortController();
    const first = executeJob(evalRun.jobId, { concurrency: 1, signal: stop.signal, leaseMs: 400 });
    for (let waited = 0; waited < 100; waited++) {
      if ((await db.synthesisItem.count({ where: { jobId: evalRun.jobId, status: "DONE" } })) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    stop.abort();
    await first.catch(() => undefined);
    const partway = await db.synthesisItem.count({ where: { jobId: evalRun.jobId, status: "DONE" } });
    expect(partway).toBeGreaterThan(0);
    expect(partway).toBeLessThan(4);
    sim.setConfig({ ttftMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 500)); // the stopped worker's lease runs out
    await executeJob(evalRun.jobId, { concurrency: 4, leaseMs: 400 });
    const detail = await evalRunDetail(evalRun.id);
    expect(detail.job?.status).toBe("COMPLETED");
    expect(detail.items.every((row) => row.answer !== null)).toBe(true);
    expect(detail.items.map((row) => row.judgements.length)).toEqual([3, 3, 3, 3, 3]);
  });

  it("installs the built-in suites once, even when asked twice at the same moment", async () => {
    await Promise.all([ensureBuiltinSuites(), ensureBuiltinSuites()]);
    const builtins = await db.evalSuite.findMany({ where: { origin: "builtin" }, orderBy: { name: "asc" } });
    expect(builtins.map((suite) => [suite.name, suite.version, suite.kind])).toEqual([
      ["troupe-knowledge", 1, "knowledge"],
      ["troupe-persona", 1, "persona"],
    ]);
    expect(builtins.map((suite) => suite.itemCount)).toEqual([74, 100]);
  });

  it("refuses a suite file with a bad line, naming it, and imports nothing", async () => {
    const broken = `${SUITE.replace(`eval-test-${run}`, `eval-broken-${run}`)}\n{"session": "x", "turn": 0}`;
    await expect(importSuite(Readable.from([broken]), { createdById: null })).rejects.toThrow(/line 7/);
    expect(await db.evalSuite.count({ where: { name: `eval-broken-${run}` } })).toBe(0);
  });
});
