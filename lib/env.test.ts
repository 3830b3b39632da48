import { describe, expect, it } from "vitest";
import { EnvError, parseAppEnv, parseBaseEnv } from "./env";

const secret = "x".repeat(40);

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("environment validation", () => {
  it("accepts a minimal environment and treats empty strings as unset", () => {
    const env = parseAppEnv({ AUTH_SECRET: secret, LLM_BASE_URL: "", DATABASE_URL: "" });
    expect(env.LLM_BASE_URL).toBeUndefined();
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("names the variable and says what is wrong", () => {
    expect(problems(() => parseAppEnv({}))).toEqual([expect.stringMatching(/^AUTH_SECRET: is required/)]);
    expect(problems(() => parseAppEnv({ AUTH_SECRET: "short" }))).toEqual([
      expect.stringMatching(/^AUTH_SECRET: must be at least 32 characters/),
    ]);
    expect(problems(() => parseBaseEnv({ LLM_BASE_URL: "localhost:8000" }))).toEqual([
      expect.stringMatching(/^LLM_BASE_URL: must be an http\(s\) URL/),
    ]);
    expect(problems(() => parseBaseEnv({ DATABASE_URL: "mysql://x@y/z" }))).toEqual([
      expect.stringMatching(/^DATABASE_URL: must be a postgresql:\/\/ URL/),
    ]);
    expect(problems(() => parseBaseEnv({ ADMIN_EMAIL: "nope", ADMIN_PASSWORD: "short" }))).toEqual([
      "ADMIN_EMAIL: must be an email address",
      "ADMIN_PASSWORD: must be at least 8 characters",
    ]);
  });

  it("the error message lists every problem", () => {
    const error = (() => {
      try {
        parseAppEnv({ PORT: "http" });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toMatch(/Invalid environment:\n {2}- /);
    expect(error?.message).toContain("PORT");
    expect(error?.message).toContain("AUTH_SECRET");
  });

  it("checks the chat rate limit and the public address", () => {
    expect(parseAppEnv({ AUTH_SECRET: secret, CHAT_RATE_LIMIT_PER_MINUTE: "0" }).CHAT_RATE_LIMIT_PER_MINUTE).toBe(0);
    expect(problems(() => parseBaseEnv({ CHAT_RATE_LIMIT_PER_MINUTE: "-1" }))).toEqual([
      expect.stringMatching(/^CHAT_RATE_LIMIT_PER_MINUTE: /),
    ]);
    expect(problems(() => parseBaseEnv({ CHAT_RATE_LIMIT_PER_MINUTE: "fast" }))).toEqual([
      "CHAT_RATE_LIMIT_PER_MINUTE: must be a whole number (0 turns the limit off)",
    ]);
    expect(problems(() => parseAppEnv({ AUTH_SECRET: secret, AUTH_URL: "troupe.example.org" }))).toEqual([
      expect.stringMatching(/^AUTH_URL: must be the site's public address/),
    ]);
  });

  it("checks the proxy hops in front of the nearest proxy: a whole number, unset by default", () => {
    expect(parseAppEnv({ AUTH_SECRET: secret }).TRUSTED_PROXY_HOPS).toBeUndefined();
    expect(parseAppEnv({ AUTH_SECRET: secret, TRUSTED_PROXY_HOPS: "1" }).TRUSTED_PROXY_HOPS).toBe(1);
    expect(problems(() => parseAppEnv({ AUTH_SECRET: secret, TRUSTED_PROXY_HOPS: "two" }))).toEqual([
      expect.stringMatching(/^TRUSTED_PROXY_HOPS: must be a whole number/),
    ]);
    expect(problems(() => parseAppEnv({ AUTH_SECRET: secret, TRUSTED_PROXY_HOPS: "-1" }))).toEqual([
      expect.stringMatching(/^TRUSTED_PROXY_HOPS: /),
    ]);
  });

  it("strips a trailing slash from the model URL", () => {
    expect(parseBaseEnv({ LLM_BASE_URL: "http://127.0.0.1:8000/v1/" }).LLM_BASE_URL).toBe("http://127.0.0.1:8000/v1");
  });
});
