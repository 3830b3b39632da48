import type { Command } from "commander";
import { z } from "zod";
import { db } from "@/lib/db";
import { ensureDatabaseReady } from "@/lib/db/ready";
import { parseWith } from "@/lib/http";
import {
  listEndpoints,
  listModelVersions,
  registerModelVersion,
  setAdapterLoaded,
  syncEndpoints,
} from "@/lib/models/queries";
import {
  routingOverview,
  setCharacterModel,
  setDefaultModel,
  startExperiment,
  stopExperiment,
} from "@/lib/models/routing-admin";
import { commandAdmin } from "./identity";
import { registerPullCommand } from "./models-pull";
import { CliError, emit, log, table } from "./output";

export function registerModelsCommands(program: Command): void {
  const models = program.command("models").description("The model registry: endpoints, model versions, LoRA adapters.");

  models
    .command("sync")
    .description("Probe every endpoint (/health, /v1/models) and record what it serves.")
    .option("--json", "machine-readable output")
    .action(async (options: { json?: boolean }) => {
      await ensureDatabaseReady(log);
      const endpoints = await syncEndpoints();
      emit(options, endpoints, () =>
        endpoints.length === 0
          ? "No endpoints. Set LLM_BASE_URL (the `default` endpoint) and run this again."
          : endpoints
              .map((endpoint) => {
                const health = endpoint.lastHealth as {
                  reachable?: boolean;
                  healthy?: boolean;
                  error?: string | null;
                } | null;
                const models = (endpoint.discovered as { id: string; parent: string | null }[]).map(
                  (model) => `    ${model.id}${model.parent ? ` (LoRA on ${model.parent})` : " (base)"}`,
                );
                const state = health?.healthy
                  ? "healthy"
                  : health?.reachable
                    ? `unhealthy: ${health.error}`
                    : `unreachable: ${health?.error}`;
                return [`${endpoint.name} ${endpoint.baseUrl} — ${state}`, ...models].join("\n");
              })
              .join("\n"),
      );
    });

  models
    .command("register")
    .description("Register a model version (a base model or a LoRA adapter) users can chat with.")
    .requiredOption("--name <name>", "the name users see")
    .requiredOption(
      "--model <id>",
      "the served model id (for adapters: an immutable versioned name such as char-aria-v3)",
    )
    .option("--adapter-path <path>", "where vLLM finds the adapter")
    .option("--base <model>", "the base model the adapter was trained on")
    .option("--endpoint <name>", "the endpoint serving it", "default")
    .option("--dataset <id>", "the dataset version it was trained on")
    .option("--notes <text>", "notes for admins", "")
    .option("--user <email>", "the admin account to act as (default: the first admin)")
    .option("--json", "machine-readable output")
    .action(
      async (options: {
        name: string;
        model: string;
        adapterPath?: string;
        base?: string;
        endpoint: string;
        dataset?: string;
        notes: string;
        user?: string;
        json?: boolean;
      }) => {
        await commandAdmin(options.user);
        const version = await registerModelVersion({
          name: options.name,
          servedModelId: options.model,
          endpointName: options.endpoint,
          notes: options.notes,
          ...(options.adapterPath ? { adapterPath: options.adapterPath } : {}),
          ...(options.base ? { baseModel: options.base } : {}),
          ...(options.dataset ? { datasetVersionId: options.dataset } : {}),
        });
        emit(
          options,
          version,
          () => `registered ${version.name} → ${version.servedModelId} (${version.status.toLowerCase()})`,
        );
      },
    );

  for (const [command, loaded] of [
    ["load", true],
    ["unload", false],
  ] as const) {
    models
      .command(command)
      .description(
        `${loaded ? "Load" : "Unload"} a version's LoRA adapter on its vLLM endpoint (vLLM's answer is printed as is).`,
      )
      .argument("<name>", "the model version's name")
      .option("--json", "machine-readable output")
      .action(async (name: string, options: { json?: boolean }) => {
        await ensureDatabaseReady(log);
        const result = await setAdapterLoaded(name, loaded);
        emit(options, result, () => `${result.ok ? "✓" : "✗"} HTTP ${result.status}: ${result.message}`);
        if (!result.ok) throw new CliError(`vLLM refused (${result.reason}).`);
      });
  }

  /** Routing changes are admin acts: they run as (and are audited for) an admin account. */
  const versionIdByName = async (name: string) => {
    const version = await db.modelVersion.findUnique({ where: { name }, select: { id: true } });
    if (!version) throw new CliError(`No model version named "${name}".`);
    return version.id;
  };

  const route = models.command("route").description("Which model new chats get.");
  route
    .command("default")
    .description("Set the default model version for new chats (--clear: the environment's model).")
    .argument("[name]", "the model version's name")
    .option("--clear", "use LLM_BASE_URL / LOCAL_MODEL_PATH's model again")
    .option("--user <email>", "the admin acting (default: the first admin)")
    .action(async (name: string | undefined, options: { clear?: boolean; user?: string }) => {
      if (!name && !options.clear) throw new CliError("Name a model version, or pass --clear.");
      const admin = await commandAdmin(options.user);
      await setDefaultModel(admin.id, options.clear ? null : await versionIdByName(name as string));
      log(options.clear ? "new chats use the environment's model" : `new chats use ${name}`);
    });
  route
    .command("character")
    .description("Give a character its own model version (--clear: back to the default).")
    .argument("<character-id>", "the character's id")
    .argument("[name]", "the model version's name")
    .option("--clear", "remove the character's own model")
    .option("--user <email>", "the admin acting (default: the first admin)")
    .action(async (characterId: string, name: string | undefined, options: { clear?: boolean; user?: string }) => {
      if (!name && !options.clear) throw new CliError("Name a model version, or pass --clear.");
      const admin = await commandAdmin(options.user);
      const character = parseWith(z.uuid({ error: "Not a character id." }), characterId);
      await setCharacterModel(admin.id, character, options.clear ? null : await versionIdByName(name as string));
      log(options.clear ? "the character uses the default routing" : `the character's new chats use ${name}`);
    });
  route
    .command("show")
    .description("Show the default model, character models and experiments.")
    .option("--json", "machine-readable output")
    .action(async (options: { json?: boolean }) => {
      await ensureDatabaseReady(log);
      const overview = await routingOverview();
      emit(options, overview, () =>
        [
          `default: ${overview.defaultVersion?.name ?? "the environment's model"}`,
          ...overview.characters.map((character) => `character ${character.name}: ${character.modelVersion?.name}`),
          ...overview.experiments.map(
            (experiment) =>
              `experiment ${experiment.name} (${experiment.active ? "running" : "stopped"}): ` +
              `A=${experiment.variantA.name} ${Math.round(experiment.splitA * 100)}% / B=${experiment.variantB.name}, ` +
              `chats ${experiment.chats.A}/${experiment.chats.B}`,
          ),
        ].join("\n"),
      );
    });

  const experiment = models.command("experiment").description("A/B experiments between two model versions.");
  experiment
    .command("start")
    .description("Split new chats between two model versions; each chat keeps its arm.")
    .requiredOption("--name <name>", "the experiment's name")
    .requiredOption("--a <version>", "variant A's model version name")
    .requiredOption("--b <version>", "variant B's model version name")
    .option("--split <share>", "share of new chats for A, 0.01–0.99", "0.5")
    .option("--character <id>", "only chats with this character")
    .option("--user <email>", "the admin acting (default: the first admin)")
    .action(
      async (options: { name: string; a: string; b: string; split: string; character?: string; user?: string }) => {
        const admin = await commandAdmin(options.user);
        const started = await startExperiment(admin.id, {
          name: options.name,
          variantAId: await versionIdByName(options.a),
          variantBId: await versionIdByName(options.b),
          splitA: Number(options.split),
          characterId: options.character ?? null,
        });
        log(`experiment ${started.name} running`);
      },
    );
  experiment
    .command("stop")
    .description("Stop assigning new chats; assigned chats keep their model.")
    .argument("<name>", "the experiment's name")
    .option("--user <email>", "the admin acting (default: the first admin)")
    .action(async (name: string, options: { user?: string }) => {
      const admin = await commandAdmin(options.user);
      const found = await db.experiment.findUnique({ where: { name }, select: { id: true } });
      if (!found) throw new CliError(`No experiment named "${name}".`);
      await stopExperiment(admin.id, found.id);
      log(`experiment ${name} stopped`);
    });

  registerPullCommand(models);

  models
    .command("list")
    .description("List endpoints and model versions.")
    .option("--json", "machine-readable output")
    .action(async (options: { json?: boolean }) => {
      await ensureDatabaseReady(log);
      const [endpoints, versions] = await Promise.all([listEndpoints(), listModelVersions()]);
      emit(options, { endpoints, versions }, () =>
        table(
          versions.map((version) => ({
            name: version.name,
            model: version.servedModelId,
            endpoint: version.endpoint.name,
            adapter: version.adapterPath ?? "",
            status: version.status.toLowerCase(),
          })),
          ["name", "model", "endpoint", "adapter", "status"],
        ),
      );
    });
}
