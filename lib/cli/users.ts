import type { Command } from "commander";
import { ensureDatabaseReady } from "@/lib/db/ready";
import { parseWith } from "@/lib/http";
import { createUser, listUsers } from "@/lib/users/queries";
import { createUserSchema, type PublicUser } from "@/lib/users/schema";
import { emit, log, table } from "./output";

export function registerUsersCommands(program: Command): void {
  const users = program.command("users").description("Manage accounts.");

  users
    .command("create")
    .description("Create an account (the first account is always an admin).")
    .requiredOption("--email <email>", "sign-in email")
    .requiredOption("--password <password>", "at least 8 characters")
    .option("--name <name>", "display name (defaults to the part of the email before @)")
    .option("--admin", "make the account an admin", false)
    .option("--json", "machine-readable output")
    .action(async (options: { email: string; password: string; name?: string; admin: boolean; json?: boolean }) => {
      const input = parseWith(createUserSchema, {
        email: options.email,
        password: options.password,
        name: options.name ?? options.email.split("@")[0],
        admin: options.admin,
      });
      await ensureDatabaseReady(log);
      const user = await createUser({ ...input, ...(input.admin ? { role: "ADMIN" as const } : {}) });
      emit(options, user, () => `created ${user.role === "ADMIN" ? "admin" : "user"} ${user.email} (${user.id})`);
    });

  users
    .command("list")
    .description("List accounts.")
    .option("--json", "machine-readable output")
    .action(async (options: { json?: boolean }) => {
      await ensureDatabaseReady(log);
      const all: PublicUser[] = [];
      let cursor: string | undefined;
      do {
        const page = await listUsers({ cursor, take: 200 });
        all.push(...page.users);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      emit(options, all, () =>
        table(
          all.map((user) => ({
            id: user.id,
            email: user.email,
            name: user.name,
            role: user.role,
            consent: user.trainingConsent,
            created: user.createdAt.toISOString().slice(0, 10),
          })),
          ["id", "email", "name", "role", "consent", "created"],
        ),
      );
    });
}
