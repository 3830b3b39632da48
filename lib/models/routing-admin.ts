import "server-only";
// The admin's side of routing: the default model, per-character models and A/B experiments.
// A version put in front of users becomes SERVING; a serving version cannot leave service while
// a route points at it (routesUsing says which).
import { db, isUniqueViolation } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { DEFAULT_ROUTE_KEY } from "./routing";
import { type ExperimentInput, experimentInputSchema } from "./schema";

/** Human-readable places a version is routed from (empty when none). */
export async function routesUsing(versionId: string): Promise<string[]> {
  const [setting, characters, experiments] = await Promise.all([
    db.appSetting.findUnique({ where: { key: DEFAULT_ROUTE_KEY } }),
    db.character.findMany({ where: { modelVersionId: versionId }, select: { name: true }, take: 5 }),
    db.experiment.findMany({
      where: { active: true, OR: [{ variantAId: versionId }, { variantBId: versionId }] },
      select: { name: true },
    }),
  ]);
  return [
    ...(setting?.value === versionId ? ["the default model"] : []),
    ...characters.map((character) => `the model of ${character.name}`),
    ...experiments.map((experiment) => `experiment "${experiment.name}"`),
  ];
}

/** A version that may take traffic: not retired, and an adapter only once it is loaded. */
async function putInService(versionId: string) {
  const version = await db.modelVersion.findUnique({ where: { id: versionId } });
  if (!version) throw new AppError("not_found:model_version", "That model version does not exist.");
  if (version.status === "RETIRED") throw new AppError("conflict:model_status", `${version.name} is retired.`);
  if (version.adapterPath && version.status === "REGISTERED") {
    throw new AppError("conflict:model_status", `Load ${version.name}'s adapter on its endpoint first.`);
  }
  if (version.status !== "SERVING") {
    await db.modelVersion.update({ where: { id: versionId }, data: { status: "SERVING" } });
  }
  return version;
}

async function audit(actorId: string, action: string, targetType: string, targetId: string, details: object) {
  await db.auditLog.create({ data: { actorId, action, targetType, targetId, details } });
}

/** Set (or clear, with null) the model new chats get when no more specific rule applies. */
export async function setDefaultModel(actorId: string, versionId: string | null) {
  if (versionId) {
    await putInService(versionId);
    await db.appSetting.upsert({
      where: { key: DEFAULT_ROUTE_KEY },
      create: { key: DEFAULT_ROUTE_KEY, value: versionId },
      update: { value: versionId },
    });
  } else {
    await db.appSetting.deleteMany({ where: { key: DEFAULT_ROUTE_KEY } });
  }
  await audit(actorId, "routing.default_set", "routing", "default", { versionId });
}

/** Give a character its own model (or clear it). Existing chats keep the model they started with. */
export async function setCharacterModel(actorId: string, characterId: string, versionId: string | null) {
  const character = await db.character.findUnique({ where: { id: characterId }, select: { id: true } });
  if (!character) throw new AppError("not_found:character", "That character does not exist.");
  if (versionId) await putInService(versionId);
  await db.character.update({ where: { id: characterId }, data: { modelVersionId: versionId } });
  await audit(actorId, "routing.character_set", "character", characterId, { versionId });
}

export async function startExperiment(actorId: string, input: ExperimentInput) {
  const data = experimentInputSchema.parse(input);
  const running = await db.experiment.findFirst({
    where: { active: true, characterId: data.characterId },
    select: { name: true },
  });
  if (running) {
    throw new AppError(
      "conflict:experiment_running",
      `Experiment "${running.name}" already splits ${data.characterId ? "this character's" : "all"} new chats; stop it first.`,
    );
  }
  if (data.characterId) {
    const character = await db.character.findUnique({ where: { id: data.characterId }, select: { id: true } });
    if (!character) throw new AppError("not_found:character", "That character does not exist.");
  }
  await putInService(data.variantAId);
  await putInService(data.variantBId);
  try {
    const experiment = await db.experiment.create({ data });
    await audit(actorId, "experiment.started", "experiment", experiment.id, data);
    return experiment;
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict:experiment", "An experiment with that name exists.");
    throw error;
  }
}

/** Stop assigning new chats. Chats already assigned keep their arm (and their model). */
export async function stopExperiment(actorId: string, id: string) {
  const experiment = await db.experiment.findUnique({ where: { id } });
  if (!experiment) throw new AppError("not_found:experiment", "That experiment does not exist.");
  if (!experiment.active) return experiment;
  const stopped = await db.experiment.update({ where: { id }, data: { active: false, endedAt: new Date() } });
  await audit(actorId, "experiment.stopped", "experiment", id, {});
  return stopped;
}

/** Everything the routing page shows: the default, per-character models, experiments with arm counts. */
export async function routingOverview() {
  const [setting, characters, experiments, arms] = await Promise.all([
    db.appSetting.findUnique({ where: { key: DEFAULT_ROUTE_KEY } }),
    db.character.findMany({
      where: { modelVersionId: { not: null }, deletedAt: null },
      select: { id: true, name: true, modelVersion: { select: { id: true, name: true, status: true } } },
      orderBy: { name: "asc" },
    }),
    db.experiment.findMany({
      orderBy: [{ active: "desc" }, { createdAt: "desc" }],
      include: {
        character: { select: { id: true, name: true } },
        variantA: { select: { id: true, name: true } },
        variantB: { select: { id: true, name: true } },
      },
    }),
    db.conversation.groupBy({ by: ["experimentId", "variant"], where: { experimentId: { not: null } }, _count: true }),
  ]);
  const count = (experimentId: string, variant: string) =>
    arms.find((arm) => arm.experimentId === experimentId && arm.variant === variant)?._count ?? 0;
  const defaultVersion =
    typeof setting?.value === "string"
      ? await db.modelVersion.findUnique({
          where: { id: setting.value },
          select: { id: true, name: true, status: true },
        })
      : null;
  return {
    defaultVersion,
    characters,
    experiments: experiments.map((experiment) => ({
      ...experiment,
      chats: { A: count(experiment.id, "A"), B: count(experiment.id, "B") },
    })),
  };
}
