// The `troupe` command. Each command group lives in its own file and calls the same lib/
// functions the web app uses; nothing here holds domain logic.
import { Command } from "commander";
import { loadDotEnv } from "@/lib/paths";
import { describeError } from "./output";

loadDotEnv();

type Register = (program: Command) => void;

// Loaded on demand: a command loads only its own group, so `troupe datasets export` does not carry
// the model engines and pipelines in memory. Help and unknown commands load every group.
const GROUPS: Record<string, () => Promise<Register[]>> = {
  doctor: async () => [(await import("./doctor")).registerDoctorCommand],
  users: async () => [(await import("./users")).registerUsersCommands],
  characters: async () => [(await import("./characters")).registerCharactersCommands],
  chat: async () => [(await import("./chat")).registerChatCommand],
  models: async () => [(await import("./models")).registerModelsCommands],
  feedback: async () => [(await import("./feedback")).registerFeedbackCommands],
  synth: async () => [(await import("./synth")).registerSynthCommands],
  jobs: async () => [(await import("./synth")).registerSynthCommands],
  datasets: async () => [(await import("./datasets")).registerDatasetsCommands],
  eval: async () => [(await import("./eval")).registerEvalCommands],
  batch: async () => [(await import("./synth")).registerBatchCommands],
  db: async () => [(await import("./db")).registerDbCommands],
  worker: async () => [(await import("./worker")).registerWorkerCommand],
};

async function main() {
  const program = new Command()
    .name("troupe")
    .description(
      "Troupe's command line: accounts, characters, chat, the model registry and routing, feedback exports, synthesis jobs, curation datasets, the embedded database, the background worker and checks.",
    )
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  const group = GROUPS[process.argv[2] ?? ""];
  const loaders = group ? [group] : [...new Set(Object.values(GROUPS))];
  const registered = new Set<Register>();
  for (const load of loaders) {
    for (const register of await load()) {
      if (registered.has(register)) continue;
      registered.add(register);
      register(program);
    }
  }
  await program.parseAsync(process.argv);
}

main().catch((error: unknown) => {
  process.stderr.write(`troupe: ${describeError(error)}\n`);
  process.exit(
    typeof (error as { exitCode?: unknown }).exitCode === "number" ? (error as { exitCode: number }).exitCode : 1,
  );
});
