// Lenient readers for single card values. Cards in the wild put null where text belongs, one text
// where a list belongs, "true" for true and "100" for 100; each reader accepts those, records what
// it changed and returns the value the spec asked for. `field` names the value in messages.
import type { ImportReport } from "./report";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readText(value: unknown, field: string, report: ImportReport): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  if (value === null) {
    report.repair(`${field} was null; used empty text`);
    return "";
  }
  if (typeof value === "number" || typeof value === "boolean") {
    report.repair(`${field} was a ${typeof value}; stored it as text`);
    return String(value);
  }
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
    report.repair(`${field} was a list; joined it into one text`);
    return value.join("\n");
  }
  report.warn(`${field} was not text and was left empty`);
  return "";
}

/**
 * How one text given for a list is turned into a list: keywords and tags are split at commas
 * (and new lines), URLs at new lines only, and greetings (which contain commas) are kept whole.
 */
export type ListSplit = "commas" | "lines" | "whole";

export function readTextList(value: unknown, field: string, report: ImportReport, split: ListSplit): string[] {
  if (value === undefined) return [];
  if (value === null) {
    report.repair(`${field} was null; used an empty list`);
    return [];
  }
  if (typeof value === "string") return splitText(value, field, report, split);
  if (!Array.isArray(value)) {
    report.warn(`${field} was not a list and was ignored`);
    return [];
  }
  const items: string[] = [];
  let changed = false;
  for (const item of value) {
    if (typeof item === "string") items.push(item);
    else {
      changed = true;
      if (typeof item === "number" || typeof item === "boolean") items.push(String(item));
    }
  }
  if (changed) report.repair(`${field} had items that were not text; converted or removed them`);
  return items;
}

function splitText(value: string, field: string, report: ImportReport, split: ListSplit): string[] {
  if (value.trim() === "") {
    report.repair(`${field} was empty text instead of a list; used an empty list`);
    return [];
  }
  if (split === "whole") {
    report.repair(`${field} was one text instead of a list; made it a one-item list`);
    return [value];
  }
  const separator = split === "commas" ? /[,\n]/ : /\r?\n/;
  report.repair(
    `${field} was one text instead of a list; split it at ${split === "commas" ? "commas" : "line breaks"}`,
  );
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

export function readInteger(value: unknown, field: string, report: ImportReport): number | undefined {
  const number = readNumber(value, field, report);
  if (number === undefined || Number.isInteger(number)) return number;
  report.repair(`${field} was not a whole number; rounded it`);
  return Math.round(number);
}

function readNumber(value: unknown, field: string, report: ImportReport): number | undefined {
  if (value === undefined) return undefined;
  if (value === null) {
    report.repair(`${field} was null; left it unset`);
    return undefined;
  }
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    report.repair(`${field} was a number written as text; converted it`);
    return Number(value);
  }
  report.warn(`${field} was not a number and was ignored`);
  return undefined;
}

const TRUE_WORDS = new Set(["true", "yes", "1"]);
const FALSE_WORDS = new Set(["false", "no", "0", ""]);

export function readFlag(value: unknown, field: string, report: ImportReport): boolean | undefined {
  if (typeof value === "boolean" || value === undefined) return value;
  if (value === null) {
    report.repair(`${field} was null; used the default`);
    return undefined;
  }
  if (typeof value === "string") {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word) || FALSE_WORDS.has(word)) {
      report.repair(`${field} was true/false written as text; converted it`);
      return TRUE_WORDS.has(word);
    }
  }
  if (value === 0 || value === 1) {
    report.repair(`${field} was 0 or 1; converted it to true/false`);
    return value === 1;
  }
  report.warn(`${field} was not true or false and was ignored`);
  return undefined;
}

/** A missing object is not reported here: callers list every missing field in one repair. */
export function readRecord(value: unknown, field: string, report: ImportReport): Record<string, unknown> {
  if (isRecord(value)) return value;
  if (value === undefined) return {};
  if (value === null) report.repair(`${field} was null; used an empty object`);
  else report.warn(`${field} was not an object and was ignored`);
  return {};
}

export function readTextRecord(value: unknown, field: string, report: ImportReport): Record<string, string> {
  const record = readRecord(value, field, report);
  return Object.fromEntries(
    Object.entries(record).map(([key, text]) => [key, readText(text, `${field}.${key}`, report)]),
  );
}

/** Above this a timestamp is certainly in milliseconds (1e11 seconds is the year 5138). */
const MILLISECONDS_THRESHOLD = 1e11;

export function readUnixSeconds(value: unknown, field: string, report: ImportReport): number | undefined {
  if (typeof value === "string" && !Number.isFinite(Number(value)) && Number.isFinite(Date.parse(value))) {
    report.repair(`${field} was a date written as text; converted it to Unix seconds`);
    return Math.floor(Date.parse(value) / 1000);
  }
  const number = readNumber(value, field, report);
  if (number === undefined) return undefined;
  if (Math.abs(number) >= MILLISECONDS_THRESHOLD) {
    report.repair(`${field} was in milliseconds; converted it to seconds`);
    return Math.floor(number / 1000);
  }
  if (Number.isInteger(number)) return number;
  report.repair(`${field} was not a whole number of seconds; rounded it down`);
  return Math.floor(number);
}
