import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { pipelineProfile } from "@/lib/testing/profiles";
import { createUser } from "@/lib/users/queries";
import { exportBatch, importBatch, shardOf } from "./batch";
import { createJob } from "./jobs";

assertTestDatabase();

const linesOf = (rows: unknown[]) => Readable.from(rows.map((row) => `${JSON.stringify(row)}\n`));

describe("batch files", () => {
  it("exports pending requests in the OpenAI Batch format and imports results idempotently", async () => {
    const admin = await createUser({
      email: `batch-${Date.now()}@unit.troupe`,
      name: "Batch",
      password: "pass-word-1",
      role: "ADMIN",
    });
    const job = await createJob({
      pipeline: "profiles",
      template: "persona-to-profile@1",
      params: {},
      createdById: admin.id,
      items: ["a glacier guide", "a luthier", "a beekeeper"].map((persona, index) => ({
        key: `profiles:batch-${index}`,
        input: { seedId: `batch-${index}`, persona },
      })),
    });
    const exported = [];
    for await (const entry of exportBatch(job.id, "troupe-sim/base-7b")) exported.push(JSON.parse(entry.line));
    expect(exported).toHaveLength(3);
    expect(exported[0]).toMatchObject({
      custom_id: "profiles:batch-0",
      method: "POST",
      url: "/v1/chat/completions",
      body: {
        model: "troupe-sim/base-7b",
        messages: [{ role: "system" }, { role: "user" }],
        response_format: { type: "json_schema", json_schema: { name: "character_profile", strict: true } },
      },
    });
    expect(JSON.stringify(exported[0].body)).not.toMatch(/guided_/);

    const results = [
      {
        id: "r0",
        custom_id: "profiles:batch-0",
        response: {
          status_code: 200,
          request_id: "q0",
          body: {
            model: "troupe-sim/base-7b",
            choices: [{ message: { content: JSON.stringify(pipelineProfile("Ingrid Vass")) } }],
            usage: { prompt_tokens: 100, completion_tokens: 50 },
          },
        },
        error: null,
      },
      {
        id: "r1",
        custom_id: "profiles:batch-1",
        response: { status_code: 200, request_id: "q1", body: { choices: [{ message: { content: "not json" } }] } },
        error: null,
      },
      { id: "r2", custom_id: "profiles:batch-2", response: null, error: { code: "server_error", message: "boom" } },
      { id: "r3", custom_id: "profiles:nope", response: null, error: null },
    ];
    expect(await importBatch(job.id, linesOf(results))).toEqual({
      done: 1,
      failed: 2,
      skipped: 0,
      unknown: 1,
      invalid: 0,
      errors: [],
    });
    const afterFirst = await db.synthesisJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(afterFirst).toMatchObject({
      done: 1,
      failed: 2,
      parseFailures: 1,
      tokensIn: 100,
      tokensOut: 50,
      status: "COMPLETED",
    });
    const failures = await db.synthesisItem.findMany({
      where: { jobId: job.id, status: "FAILED" },
      orderBy: { key: "asc" },
    });
    expect(failures.map((item) => item.error)).toEqual([
      "The answer in the result file does not match the schema.",
      expect.stringContaining("boom"),
    ]);
    const characters = await db.character.count({ where: { provenance: { path: ["jobId"], equals: job.id } } });
    expect(characters).toBe(1);

    // The same file again changes nothing.
    expect(await importBatch(job.id, linesOf(results))).toEqual({
      done: 0,
      failed: 0,
      skipped: 3,
      unknown: 1,
      invalid: 0,
      errors: [],
    });
    expect(await db.synthesisJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ done: 1, failed: 2 });
    expect(await db.character.count({ where: { provenance: { path: ["jobId"], equals: job.id } } })).toBe(1);
  });

  // Each of these threw out of the import before (the fuzzer found them): Prisma refused the lone
  // surrogate, JSON.stringify overflowed the stack (leaving the item claimed), and the job's integer
  // token counters overflowed on every later refresh.
  it("names unreadable lines by number, and never lets a line's content break the job", async () => {
    const admin = await createUser({
      email: `batch-bad-${Date.now()}@unit.troupe`,
      name: "Batch",
      password: "pass-word-1",
      role: "ADMIN",
    });
    const job = await createJob({
      pipeline: "profiles",
      template: "persona-to-profile@1",
      params: {},
      createdById: admin.id,
      items: ["a", "b"].map((name) => ({
        key: `profiles:bad-${name}`,
        input: { seedId: name, persona: "a glacier guide" },
      })),
    });
    const answer = (usage: unknown) => ({
      status_code: 200,
      body: { choices: [{ message: { content: JSON.stringify(pipelineProfile("Ingrid Vass")) } }], usage },
    });
    const text = [
      JSON.stringify({ custom_id: "profiles:\ud800", response: null }),
      JSON.stringify({ custom_id: "profiles:bad-a", error: "x" }).replace(
        '"x"',
        `${"[".repeat(50_000)}${"]".repeat(50_000)}`,
      ),
      "not json",
      "",
      JSON.stringify({ custom_id: "profiles:bad-b", response: answer({ prompt_tokens: 3e9, completion_tokens: 5 }) }),
    ].join("\r\n");
    expect(await importBatch(job.id, Readable.from([Buffer.from(text)]))).toEqual({
      done: 1,
      failed: 0,
      skipped: 0,
      unknown: 0,
      invalid: 3,
      errors: [
        {
          lineNumber: 1,
          error: 'line 1: `custom_id` must not hold control characters or broken Unicode (got "profiles:\\ud800")',
        },
        { lineNumber: 2, error: "line 2: nested more than 100 levels deep" },
        { lineNumber: 3, error: expect.stringMatching(/^line 3: not JSON \(/) },
      ],
    });
    const items = await db.synthesisItem.findMany({ where: { jobId: job.id }, orderBy: { key: "asc" } });
    expect(items.map((item) => [item.key, item.status, item.tokensIn, item.tokensOut])).toEqual([
      ["profiles:bad-a", "PENDING", 0, 0],
      ["profiles:bad-b", "DONE", 0, 0],
    ]);
  });

  it("assigns each key to one stable shard", () => {
    const keys = Array.from({ length: 1000 }, (_, index) => `k${index}`);
    const counts = [0, 0, 0, 0];
    for (const key of keys) {
      const shard = shardOf(key, 4);
      expect(shardOf(key, 4)).toBe(shard);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(180);
  });
});
