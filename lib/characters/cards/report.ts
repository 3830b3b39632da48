// What an import tells its caller besides the result: repairs (we changed the input to make it
// valid) and warnings (we could not use something). Expected failures are thrown as
// CardImportError and turned into a failed result at the top; anything else is a bug.
import type { ErrorCode } from "../../errors";

/** Codes follow lib/errors (`type:surface`), so a caller can wrap a failure in an AppError as is. */
export const CARD_ERROR_CODES = [
  "payload_too_large:card_file",
  "payload_too_large:card_json",
  "payload_too_large:card_image",
  "payload_too_large:card_archive",
  "payload_too_large:card_lorebook",
  "unprocessable:card_format",
  "unprocessable:card_json",
  "unprocessable:card_png",
  "unprocessable:card_missing",
  "unprocessable:card_archive",
  "unprocessable:card_archive_path",
  "unprocessable:card_field",
] as const satisfies readonly ErrorCode[];

export type CardErrorCode = (typeof CARD_ERROR_CODES)[number];

export class CardImportError extends Error {
  constructor(
    readonly code: CardErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "CardImportError";
  }
}

export class ImportReport {
  private readonly repairCounts = new Map<string, number>();
  private readonly warningSet = new Set<string>();

  /** The same repair on many lorebook entries is listed once with a count. */
  repair(message: string): void {
    this.repairCounts.set(message, (this.repairCounts.get(message) ?? 0) + 1);
  }

  warn(message: string): void {
    this.warningSet.add(message);
  }

  /** Takes over what a sub-import (one PNG chunk tried among two) found. */
  absorb(other: ImportReport): void {
    for (const [message, count] of other.repairCounts) {
      this.repairCounts.set(message, (this.repairCounts.get(message) ?? 0) + count);
    }
    for (const message of other.warningSet) this.warningSet.add(message);
  }

  get repairs(): string[] {
    return [...this.repairCounts].map(([message, count]) => (count > 1 ? `${message} (${count} times)` : message));
  }

  get warnings(): string[] {
    return [...this.warningSet];
  }
}
