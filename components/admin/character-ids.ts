// Admins paste characters as ids or as their pages' URLs; both carry the uuid.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Every character id in the text, in order. */
export function characterIdsIn(text: string): string[] {
  return text.match(UUID) ?? [];
}

/** The first character id in the text, else the text itself (so the server can say what is wrong). */
export function characterIdFrom(text: string): string {
  return characterIdsIn(text)[0] ?? text.trim();
}
