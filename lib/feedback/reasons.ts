// The rating reason chips, apart from the zod schemas so the chat page can show them without
// shipping zod to the browser.
/** Why a reply was good or bad: chips under the thumbs. */
export const RATING_REASONS = {
  out_of_character: "Out of character",
  wrong_facts: "Wrong facts",
  knows_too_much: "Knows what it shouldn't",
  fourth_wall: "Breaks the fourth wall",
  repetitive: "Repetitive",
  too_long: "Too long",
  too_short: "Too short",
  unsafe: "Unsafe",
  ignored_me: "Ignored what I said",
  great_roleplay: "Great role-play",
  funny: "Funny",
  vivid: "Vivid",
} as const;
export type RatingReason = keyof typeof RATING_REASONS;
