import { describe, expect, it } from "vitest";
import { createNonce, pageContentSecurityPolicy } from "./policy";

const directive = (policy: string, name: string) =>
  policy
    .split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name} `));

describe("page content security policy", () => {
  it("lets only scripts with this response's nonce run", () => {
    const nonce = createNonce();
    const policy = pageContentSecurityPolicy(nonce);
    expect(directive(policy, "script-src")).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    for (const rule of ["object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"]) {
      expect(policy).toContain(rule);
    }
    expect(policy).not.toContain("upgrade-insecure-requests");
  });

  it("allows eval only for next dev, and upgrades requests on https", () => {
    expect(directive(pageContentSecurityPolicy("n", { dev: true }), "script-src")).toContain("'unsafe-eval'");
    expect(pageContentSecurityPolicy("n", { https: true })).toContain("upgrade-insecure-requests");
  });

  it("makes a fresh nonce of 128 bits each time, in the form Next reads back from the header", () => {
    const nonces = new Set(Array.from({ length: 1000 }, createNonce));
    expect(nonces.size).toBe(1000);
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    }
  });
});
