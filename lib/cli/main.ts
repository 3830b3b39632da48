// The `troupe` command. Each command group lives in its own file and calls the same lib/
// functions the web app uses; nothing here holds domain logic.
import { Command } from "commander";
import { loadDotEnv } from "@/lib/paths";
import { registerCharactersCommands } from "./characters";
import { registerChatCommand } from "./chat";
import { registerDatasetsCommands } from "./datasets";
import { registerDbCommands } from "./db";
import { registerDoctorCommand } from "./doctor";
import { registerFeedbackCommands } from "./feedback";
import { registerModelsCommands } from "./models";
import { describeError } from "./output";
import { registerBatchCommands, registerSynthCommands } from "./synth";
import { registerUsersCommands } from "./users";
import { registerWorkerCommand } from "./worker";

loadDotEnv();

const program = new Command()
  .name("troupe")
  .description(
    "Troupe's command line: accounts, characters, chat, the model registry and routing, feedback exports, synthesis jobs, the embedded database, the background worker and checks.",
  )
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

registerDoctorCommand(program);
registerUsersCommands(program);
registerCharactersCommands(program);
registerChatCommand(program);
registerModelsCommands(program);
registerFeedbackCommands(program);
registerSynthCommands(program);
registerDatasetsCommands(program);
registerBatchCommands(program);
registerDbCommands(program);
registerWorkerCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`troupe: ${describeError(error)}\n`);
  process.exit(
    typeof (error as { exitCode?: unknown }).exitCode === "number" ? (error as { exitCode: number }).exitCode : 1,
  );
});
