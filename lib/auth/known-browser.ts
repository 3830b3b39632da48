// A browser that has signed in to an account before carries a token for it, so the account-wide
// ceiling on failed sign-ins (which strangers can fill at will) never locks the owner out of
// their usual browser. The token is an HMAC of the normalized email and the time it was issued,
// keyed with AUTH_SECRET: it cannot be made without having signed in, and it proves nothing
// about any other account.
import { createHmac, timingSafeEqual } from "node:crypto";

export const KNOWN_BROWSER_COOKIE = "troupe-known-browser";
export const KNOWN_BROWSER_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;
/** A token dated this far in the future still passes: clocks of several app machines differ a little. */
const CLOCK_SKEW_SECONDS = 5 * 60;
const TOKEN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

function mac(email: string, issuedAt: number, secret: string): string {
  // Labelled, so no other HMAC Troupe might make with the same secret can stand in for this one.
  return createHmac("sha256", secret).update(`troupe:known-browser:${issuedAt}:${email}`).digest("base64url");
}

/** The cookie's value for a browser that has just signed in as `email` (already normalized). */
export function knownBrowserToken(email: string, secret: string, now = new Date()): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return `${issuedAt}.${mac(email, issuedAt, secret)}`;
}

/** Whether `token` was issued by this app to a browser that signed in as `email`, and has not expired. */
export function isKnownBrowserToken(
  token: string | undefined,
  email: string,
  secret: string,
  now = new Date(),
): boolean {
  const match = token ? TOKEN.exec(token) : null;
  if (!match) return false;
  const issuedAt = Number(match[1]);
  const age = Math.floor(now.getTime() / 1000) - issuedAt;
  if (age > KNOWN_BROWSER_MAX_AGE_SECONDS || age < -CLOCK_SKEW_SECONDS) return false;
  // Compared as text: decoding would accept the spare low bits of the last base64 character.
  return timingSafeEqual(Buffer.from(match[2] ?? ""), Buffer.from(mac(email, issuedAt, secret)));
}
