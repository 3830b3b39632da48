import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { type CharacterListItem, listOwned } from "@/lib/characters/queries";
import { characterIdSchema, exportFormatSchema } from "@/lib/characters/schema";
import { exportCharacter, importCardFiles } from "@/lib/characters/transfer";
import { ensureDatabaseReady } from "@/lib/db/ready";
import { parseWith } from "@/lib/http";
import { resolveUser } from "./identity";
import { emit, log, table } from "./output";

export function registerCharactersCommands(program: Command): void {
  const characters = program.command("characters").description("Import, export and list characters.");

  characters
    .command("import")
    .description("Import Character Cards (PNG, V1/V2/V3 JSON, CHARX); each file is reported on its own.")
    .argument("<files...>", "card files")
    .option("--owner <email>", "the account that will own the characters (default: the first admin)")
    .option("--lorebook-target <id>", "attach lorebook files to this character")
    .option("--json", "machine-readable output")
    .action(async (files: string[], options: { owner?: string; lorebookTarget?: string; json?: boolean }) => {
      await ensureDatabaseReady(log);
      const owner = await resolveUser(options.owner);
      const inputs = await Promise.all(
        files.map(async (file) => ({ fileName: path.basename(file), bytes: new Uint8Array(await readFile(file)) })),
      );
      const results = await importCardFiles(owner, inputs, {
        ...(options.lorebookTarget ? { lorebookTarget: parseWith(characterIdSchema, options.lorebookTarget) } : {}),
      });
      emit(options, results, () =>
        results
          .map((result) =>
            result.ok
              ? result.kind === "character"
                ? `✓ ${result.fileName}: ${result.name} (${result.id}, ${result.format})${result.repairs.length ? `\n    repaired: ${result.repairs.join("; ")}` : ""}`
                : `✓ ${result.fileName}: ${result.entries} lorebook entries added`
              : `✗ ${result.fileName}: ${result.error.message}`,
          )
          .join("\n"),
      );
      if (results.every((result) => !result.ok)) process.exitCode = 1;
    });

  characters
    .command("export")
    .description("Export a character as a card file.")
    .argument("<id>", "character id")
    .requiredOption("--format <format>", "v2 | v3 | png | charx")
    .requiredOption("--out <file>", "where to write it")
    .option("--user <email>", "act as this account (default: the first admin)")
    .action(async (id: string, options: { format: string; out: string; user?: string }) => {
      const characterId = parseWith(characterIdSchema, id);
      const format = parseWith(exportFormatSchema, options.format);
      await ensureDatabaseReady(log);
      const actor = await resolveUser(options.user);
      const file = await exportCharacter(actor, characterId, format);
      await writeFile(options.out, file.body);
      log(`wrote ${options.out} (${file.body.byteLength} bytes)`);
    });

  characters
    .command("list")
    .description("List the characters an account owns.")
    .option("--owner <email>", "whose characters (default: the first admin)")
    .option("--json", "machine-readable output")
    .action(async (options: { owner?: string; json?: boolean }) => {
      await ensureDatabaseReady(log);
      const owner = await resolveUser(options.owner);
      const rows: CharacterListItem[] = [];
      for (let page = 1; ; page++) {
        const result = await listOwned(owner.id, { sort: "name", page, pageSize: 100 });
        rows.push(...result.items);
        if (page >= result.pages) break;
      }
      emit(options, rows, () =>
        table(
          rows.map((row) => ({
            id: row.id,
            name: row.name,
            visibility: row.visibility,
            versions: row.versionCount,
            tags: row.tags.join(", "),
          })),
          ["id", "name", "visibility", "versions", "tags"],
        ),
      );
    });
}
