// Text as the database and prompts can take it: PostgreSQL refuses NUL, Prisma's query protocol an
// unpaired surrogate, and the other C0 control characters only confuse prompts.

// C0 controls except tab, line feed and carriage return (a negated range, so no control character
// appears in the pattern).
const CONTROL_CHARACTERS = /[^\t\n\r\u0020-\uffff]/g;

export function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, "");
}

/** Whether PostgreSQL and Prisma can store the text as it is. */
export function storableText(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}
