import type { Command } from "commander";
import { ensureDatabaseReady } from "@/lib/db/ready";
import {
  listEndpoints,
  listModelVersions,
  registerModelVersion,
  setAdapterLoaded,
  syncEndpoints,
} from "@/lib/models/queries";
import { CliError, emit, table } from "./output";

const log = (message: string) => process.stderr.write(`${message}\n`);

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
    .option("--notes <text>", "notes for admins", "")
    .option("--json", "machine-readable output")
    .action(
      async (options: {
        name: string;
        model: string;
        adapterPath?: string;
        base?: string;
        endpoint: string;
        notes: string;
        json?: boolean;
      }) => {
        await ensureDatabaseReady(log);
        const version = await registerModelVersion({
          name: options.name,
          servedModelId: options.model,
          endpointName: options.endpoint,
          notes: options.notes,
          ...(options.adapterPath ? { adapterPath: options.adapterPath } : {}),
          ...(options.base ? { baseModel: options.base } : {}),
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
