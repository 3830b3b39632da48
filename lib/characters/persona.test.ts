import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { db } from "@/lib/db";
import { endpointFromBaseUrl } from "@/lib/llm/endpoint";
import { languageModelFor } from "@/lib/llm/provider";
import { assertTestDatabase } from "@/lib/testing/db";
import { generateProfileForUser, PERSONA_TEMPLATE, profileFromPersona } from "./persona";
import { profileSchema } from "./schema";

let sim: Simulator;
const MODEL = "troupe-sim/base-7b";

beforeAll(async () => {
  sim = await startSimulator({ port: 0, model: MODEL, ttftMs: 1, itlMs: 0, maxModelLen: 8192 });
});
afterAll(() => sim.close());

const model = () => languageModelFor(endpointFromBaseUrl(`${sim.url}/v1`), MODEL);

describe("persona → profile", () => {
  it("asks with response_format json_schema and returns a valid profile", async () => {
    sim.clearRequests();
    const result = await profileFromPersona(model(), MODEL, "a retired lighthouse keeper who collects sea glass");
    expect(profileSchema.safeParse(result.profile).success).toBe(true);
    expect(result.profile.name.length).toBeGreaterThan(0);
    expect(result.template).toEqual({ id: PERSONA_TEMPLATE.id, version: PERSONA_TEMPLATE.version });
    const body = sim.requests.at(-1)?.body as Record<string, unknown>;
    expect(body.response_format).toMatchObject({ type: "json_schema" });
    expect(Object.keys(body).some((key) => key.startsWith("guided_"))).toBe(false);
  });

  it("retries once with the validation error, then succeeds", async () => {
    sim.setScript([
      { match: "Persona: a broken persona", reply: '{"name": 42}' },
      {
        match: "was not valid",
        reply: JSON.stringify({
          name: "Fixed",
          age: "30",
          gender: "",
          species: "",
          birthplace: "",
          occupation: "",
          appearance: "",
          background: "",
          personality: "",
          speakingStyle: "",
          description: "",
          scenario: "",
          greeting: "Hi.",
          tags: ["x"],
        }),
      },
    ]);
    try {
      const result = await profileFromPersona(model(), MODEL, "a broken persona for testing");
      expect(result.profile.name).toBe("Fixed");
      expect(result.attempts).toBe(2);
    } finally {
      sim.setScript([]);
    }
  });

  it("gives up with a clear error when the output never fits", async () => {
    sim.setScript([{ match: "/./", reply: "not json at all" }]);
    try {
      await expect(profileFromPersona(model(), MODEL, "a persona that never works")).rejects.toMatchObject({
        code: "upstream_error:invalid_output",
      });
    } finally {
      sim.setScript([]);
    }
  });

  it("reports an unreachable endpoint as unavailable", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const dead = languageModelFor(endpointFromBaseUrl(`http://127.0.0.1:${port}/v1`), MODEL);
    await expect(profileFromPersona(dead, MODEL, "a persona for a dead server")).rejects.toMatchObject({
      code: "upstream_unavailable:model",
    });
  });

  it("counts profiles per user and hour before the model is asked", async () => {
    assertTestDatabase();
    process.env.LLM_BASE_URL = `${sim.url}/v1`;
    process.env.LLM_MODEL = MODEL;
    try {
      const userId = `persona-limit-${Math.random()}`;
      await generateProfileForUser(userId, "a ferry pilot who hums sea shanties");
      expect(await db.rateLimitBucket.findUnique({ where: { key: `persona:${userId}` } })).toMatchObject({ count: 1 });
      await db.rateLimitBucket.update({ where: { key: `persona:${userId}` }, data: { count: 20 } });
      sim.clearRequests();
      await expect(generateProfileForUser(userId, "a ferry pilot, again")).rejects.toMatchObject({
        status: 429,
        code: "rate_limited:persona",
      });
      expect(sim.requests).toHaveLength(0);
    } finally {
      delete process.env.LLM_BASE_URL;
      delete process.env.LLM_MODEL;
    }
  });
});
