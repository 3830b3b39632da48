import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { createCharacter } from "@/lib/characters/queries";
import { emptyProfile } from "@/lib/characters/schema";
import { startConversation } from "@/lib/chat/queries";
import { generateReply } from "@/lib/chat/stream";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/lib/users/queries";
import { registerModelVersion, setAdapterLoaded, setModelStatus } from "./queries";
import { assignVariant, DEFAULT_ROUTE_KEY, routeNewChat } from "./routing";
import { setCharacterModel, setDefaultModel, startExperiment, stopExperiment } from "./routing-admin";

const BASE = "troupe-sim/base-7b";
const run = Date.now().toString(36);
let sim: Simulator;
let admin: { id: string; role: "ADMIN" };
let characterId: string;
let otherCharacterId: string;
const versions: Record<"base" | "aria" | "bard", string> = { base: "", aria: "", bard: "" };

async function reply(conversationId: string, text: string) {
  for await (const event of generateReply(
    admin.id,
    conversationId,
    {
      kind: "send",
      content: text,
      clientRequestId: randomUUID(),
    },
    new AbortController().signal,
  )) {
    if (event.type === "error") throw new Error(event.error.message);
  }
}

/** The `model` field of the last chat completion the simulator received. */
function lastModelSent(): unknown {
  const completions = sim.requests.filter((request) => request.path === "/v1/chat/completions");
  return (completions.at(-1)?.body as { model?: unknown } | undefined)?.model;
}

beforeAll(async () => {
  assertTestDatabase();
  sim = await startSimulator({
    port: 0,
    model: BASE,
    ttftMs: 0,
    itlMs: 0,
    enableLora: true,
    allowRuntimeLoraUpdating: true,
  });
  process.env.LLM_BASE_URL = `${sim.url}/v1`;
  process.env.LLM_MODEL = BASE;
  const user = await createUser({ email: `route-${run}@unit.troupe`, name: "Router", password: "pass-word-1" });
  admin = { id: user.id, role: "ADMIN" };
  const make = async (name: string) =>
    (await createCharacter({ ownerId: user.id, profile: { ...emptyProfile(name), greeting: "Hi." }, tags: [] })).id;
  characterId = await make("Routed Rae");
  otherCharacterId = await make("Other Otto");
  versions.base = (await registerModelVersion({ name: `Base ${run}`, servedModelId: BASE })).id;
  for (const key of ["aria", "bard"] as const) {
    const name = `${key} ${run}`;
    versions[key] = (
      await registerModelVersion({
        name,
        servedModelId: `char-${key}-${run}-v1`,
        adapterPath: `/adapters/${key}`,
        baseModel: BASE,
      })
    ).id;
    await setAdapterLoaded(name, true);
  }
});

async function resetRouting() {
  await db.experiment.updateMany({ where: { active: true }, data: { active: false } });
  await db.character.updateMany({ data: { modelVersionId: null } });
  await db.appSetting.deleteMany({ where: { key: DEFAULT_ROUTE_KEY } });
}

beforeEach(resetRouting);

afterAll(async () => {
  await resetRouting();
  delete process.env.LLM_BASE_URL;
  delete process.env.LLM_MODEL;
  await sim.close();
});

describe("assignVariant", () => {
  it("is a pure function of the ids", () => {
    expect(assignVariant("e1", "c1", 0.5)).toBe(assignVariant("e1", "c1", 0.5));
    expect(assignVariant("e1", "c1", 0)).toBe("B");
    expect(assignVariant("e1", "c1", 1)).toBe("A");
  });
});

describe("routing new chats", () => {
  it("falls back to the environment's model, then uses the admin's default", async () => {
    expect(await routeNewChat(characterId, randomUUID())).toMatchObject({ modelId: BASE, reason: "environment" });
    await setDefaultModel(admin.id, versions.bard);
    expect(await routeNewChat(characterId, randomUUID())).toMatchObject({
      modelVersionId: versions.bard,
      reason: "default",
    });
    expect((await db.modelVersion.findUniqueOrThrow({ where: { id: versions.bard } })).status).toBe("SERVING");
  });

  it("prefers a character experiment, then the character's model, then a global experiment", async () => {
    await setDefaultModel(admin.id, versions.base);
    await startExperiment(admin.id, {
      name: `global ${run}`,
      variantAId: versions.base,
      variantBId: versions.bard,
      splitA: 0.5,
    });
    expect((await routeNewChat(characterId, randomUUID())).reason).toBe("experiment");
    await setCharacterModel(admin.id, characterId, versions.aria);
    expect(await routeNewChat(characterId, randomUUID())).toMatchObject({ modelVersionId: versions.aria });
    expect((await routeNewChat(otherCharacterId, randomUUID())).reason).toBe("experiment");
    const own = await startExperiment(admin.id, {
      name: `own ${run}`,
      characterId,
      variantAId: versions.aria,
      variantBId: versions.bard,
      splitA: 0.5,
    });
    const route = await routeNewChat(characterId, randomUUID());
    expect(route.experimentId).toBe(own.id);
    expect(route.modelVersionId).toBe(route.variant === "A" ? versions.aria : versions.bard);
  });

  it("splits 1,000 starts within tolerance of the configured share", async () => {
    const experiment = await startExperiment(admin.id, {
      name: `split ${run}`,
      variantAId: versions.aria,
      variantBId: versions.bard,
      splitA: 0.3,
    });
    let a = 0;
    for (let i = 0; i < 1000; i++) {
      const route = await routeNewChat(otherCharacterId, randomUUID());
      expect(route.experimentId).toBe(experiment.id);
      if (route.variant === "A") {
        a++;
        expect(route.modelVersionId).toBe(versions.aria);
      } else expect(route.modelVersionId).toBe(versions.bard);
    }
    // Binomial(1000, 0.3): sd ≈ 14.5, so ±60 is over four standard deviations.
    expect(Math.abs(a - 300)).toBeLessThan(60);
  });

  it("sends the routed model id, keeps the assignment when routing changes, and records it per reply", async () => {
    const experiment = await startExperiment(admin.id, {
      name: `sticky ${run}`,
      characterId,
      variantAId: versions.aria,
      variantBId: versions.bard,
      splitA: 0.5,
    });
    const { id } = await startConversation(admin, characterId);
    const conversation = await db.conversation.findUniqueOrThrow({ where: { id } });
    expect(conversation.experimentId).toBe(experiment.id);
    const expected = conversation.variant === "A" ? `char-aria-${run}-v1` : `char-bard-${run}-v1`;
    await reply(id, "Hello");
    expect(lastModelSent()).toBe(expected);

    await stopExperiment(admin.id, experiment.id);
    await setCharacterModel(admin.id, characterId, versions.base);
    await reply(id, "Still you?");
    expect(lastModelSent()).toBe(expected);
    const replies = await db.message.findMany({ where: { conversationId: id, role: "ASSISTANT", isGreeting: false } });
    expect(replies.map((message) => message.modelVersionId)).toEqual([
      conversation.modelVersionId,
      conversation.modelVersionId,
    ]);
  });

  it("starts chats with the version's sampling preset", async () => {
    await db.modelVersion.update({ where: { id: versions.bard }, data: { samplingPreset: { temperature: 0.3 } } });
    await setCharacterModel(admin.id, characterId, versions.bard);
    const { id } = await startConversation(admin, characterId);
    const conversation = await db.conversation.findUniqueOrThrow({ where: { id } });
    expect(conversation.settings).toMatchObject({ temperature: 0.3, top_p: 0.95 });
    await reply(id, "Preset?");
    expect(sim.requests.filter((r) => r.path === "/v1/chat/completions").at(-1)?.body).toMatchObject({
      model: `char-bard-${run}-v1`,
      temperature: 0.3,
    });
  });

  it("keeps a routed version in service, and moves chats off a retired one", async () => {
    const name = `retiring ${run}`;
    const retiring = await registerModelVersion({ name, servedModelId: `char-old-${run}-v1`, adapterPath: "/a/old" });
    await setAdapterLoaded(name, true);
    await setCharacterModel(admin.id, characterId, retiring.id);
    const { id } = await startConversation(admin, characterId);
    await expect(setModelStatus(retiring.id, "RETIRED")).rejects.toMatchObject({ code: "conflict:model_in_use" });
    await setCharacterModel(admin.id, characterId, null);
    await setModelStatus(retiring.id, "RETIRED");
    await reply(id, "Who answers now?");
    expect(lastModelSent()).toBe(BASE);
    expect(await db.conversation.findUniqueOrThrow({ where: { id } })).toMatchObject({
      modelId: BASE,
      modelVersionId: null,
    });
  });

  it("refuses to route an adapter that is not loaded, or two experiments on one scope", async () => {
    const name = `unloaded ${run}`;
    const unloaded = await registerModelVersion({ name, servedModelId: `char-new-${run}-v1`, adapterPath: "/a/new" });
    await expect(setDefaultModel(admin.id, unloaded.id)).rejects.toMatchObject({ code: "conflict:model_status" });
    await startExperiment(admin.id, { name: `one ${run}`, variantAId: versions.aria, variantBId: versions.bard });
    await expect(
      startExperiment(admin.id, { name: `two ${run}`, variantAId: versions.aria, variantBId: versions.bard }),
    ).rejects.toMatchObject({ code: "conflict:experiment_running" });
  });
});
