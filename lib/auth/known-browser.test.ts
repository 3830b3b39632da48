import { describe, expect, it } from "vitest";
import { isKnownBrowserToken, KNOWN_BROWSER_MAX_AGE_SECONDS, knownBrowserToken } from "./known-browser";

const SECRET = "a-secret-of-at-least-thirty-two-characters";
const EMAIL = "owner@example.org";

describe("known-browser tokens", () => {
  it("accepts a token issued for the same email with the same secret", () => {
    expect(isKnownBrowserToken(knownBrowserToken(EMAIL, SECRET), EMAIL, SECRET)).toBe(true);
  });

  it("proves nothing about another email, under another secret, tampered or malformed", () => {
    const token = knownBrowserToken(EMAIL, SECRET);
    expect(isKnownBrowserToken(token, "admin@example.org", SECRET)).toBe(false);
    expect(isKnownBrowserToken(token, EMAIL, `${SECRET}-rotated`)).toBe(false);
    const [issuedAt, mac] = token.split(".") as [string, string];
    expect(isKnownBrowserToken(`${Number(issuedAt) + 1}.${mac}`, EMAIL, SECRET)).toBe(false);
    const flipped = `${mac.slice(0, 10)}${mac[10] === "A" ? "B" : "A"}${mac.slice(11)}`;
    expect(isKnownBrowserToken(`${issuedAt}.${flipped}`, EMAIL, SECRET)).toBe(false);
    for (const bad of [undefined, "", "abc", `${issuedAt}.`, `.${mac}`, `${issuedAt}.${mac}x`, `-1.${mac}`]) {
      expect(isKnownBrowserToken(bad, EMAIL, SECRET)).toBe(false);
    }
  });

  it("expires after its lifetime and refuses one dated well in the future", () => {
    const issued = new Date("2026-01-01T00:00:00Z");
    const token = knownBrowserToken(EMAIL, SECRET, issued);
    const later = (seconds: number) => new Date(issued.getTime() + seconds * 1000);
    expect(isKnownBrowserToken(token, EMAIL, SECRET, later(KNOWN_BROWSER_MAX_AGE_SECONDS))).toBe(true);
    expect(isKnownBrowserToken(token, EMAIL, SECRET, later(KNOWN_BROWSER_MAX_AGE_SECONDS + 1))).toBe(false);
    expect(isKnownBrowserToken(token, EMAIL, SECRET, later(-60))).toBe(true);
    expect(isKnownBrowserToken(token, EMAIL, SECRET, later(-3600))).toBe(false);
  });
});
