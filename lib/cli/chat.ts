import type { Command } from "commander";
import { z } from "zod";
import { characterIdSchema } from "@/lib/characters/schema";
import { getOwnConversation, startConversation } from "@/lib/chat/queries";
import { messageContentSchema } from "@/lib/chat/schema";
import { generateReply } from "@/lib/chat/stream";
import { ensureDatabaseReady } from "@/lib/db/ready";
import { parseWith } from "@/lib/http";
import { resolveUser } from "./identity";
import { log } from "./output";

export function registerChatCommand(program: Command): void {
  program
    .command("chat")
    .description("Send one message to a character and stream the reply (same code path as the web chat).")
    .argument("<characterId>", "the character to talk to")
    .requiredOption("--message <text>", "what to say")
    .option("--conversation <id>", "continue this conversation instead of starting a new one")
    .option("--user <email>", "who is talking (default: the first admin)")
    .option("--json", "print one JSON result instead of streaming text")
    .action(
      async (
        characterId: string,
        options: { message: string; conversation?: string; user?: string; json?: boolean },
      ) => {
        const character = parseWith(characterIdSchema, characterId);
        const content = parseWith(messageContentSchema, options.message);
        const conversationId = options.conversation
          ? parseWith(z.uuid({ error: "Not a conversation id." }), options.conversation)
          : undefined;
        await ensureDatabaseReady(log);
        const user = await resolveUser(options.user);
        const id = conversationId ?? (await startConversation(user, character)).id;
        const conversation = await getOwnConversation(user, id);
        if (conversation.characterId !== character) throw new Error("That conversation is with another character.");

        const abort = new AbortController();
        process.once("SIGINT", () => abort.abort());
        let reply = "";
        let failure: { code: string; message: string } | null = null;
        let status = "complete";
        for await (const event of generateReply(
          user.id,
          conversation.id,
          { kind: "send", content, clientRequestId: crypto.randomUUID() },
          abort.signal,
          { rateLimited: false },
        )) {
          if (event.type === "delta") {
            reply += event.text;
            if (!options.json) process.stdout.write(event.text);
          } else if (event.type === "done") {
            status = event.message.status;
          } else if (event.type === "error") {
            failure = event.error;
            status = event.message?.status ?? "failed";
          }
        }
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ conversationId: id, status, reply, error: failure }, null, 2)}\n`);
        } else {
          process.stdout.write("\n");
          process.stderr.write(`conversation: ${id}${status !== "complete" ? ` (${status})` : ""}\n`);
          if (failure) process.stderr.write(`error: ${failure.message}\n`);
        }
        if (failure) process.exitCode = 1;
      },
    );
}
