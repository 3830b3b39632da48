// How every command talks: human text by default, one JSON document with --json, and a clear
// message plus a non-zero exit code on failure.
import { EnvError } from "@/lib/env";
import { AppError } from "@/lib/errors";

export type OutputOptions = { json?: boolean };

/** Progress and notes go to stderr, so stdout stays the command's result. */
export const log = (message: string) => process.stderr.write(`${message}\n`);

export function emit(options: OutputOptions, data: unknown, human: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

export function table(rows: Record<string, string | number | boolean | null>[], columns: string[]): string {
  if (rows.length === 0) return "(none)";
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => String(row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join("  ")
      .trimEnd();
  return [
    line(columns),
    line(widths.map((width) => "-".repeat(width))),
    ...rows.map((row) => line(columns.map((c) => String(row[c] ?? "")))),
  ].join("\n");
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof CliError || error instanceof EnvError) return error.message;
  if (error instanceof AppError) {
    const fields = error.details.fields
      ? Object.entries(error.details.fields).map(([field, messages]) => `\n  ${field}: ${messages.join(" ")}`)
      : [];
    return `${error.message}${fields.join("")}`;
  }
  if (error instanceof Error && /ECONNREFUSED|connect ETIMEDOUT/.test(`${error.message}${String(error.cause)}`)) {
    return "Cannot reach the database. Start it with `npx troupe db start`, or check DATABASE_URL.";
  }
  return error instanceof Error ? `Unexpected error: ${error.message}` : String(error);
}
