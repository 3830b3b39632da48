import { describe, expect, it } from "vitest";
import { appOrigins, crossSiteRefusal, servedOverHttps } from "./origin";

const request = (headers: Record<string, string>, url = "http://127.0.0.1:3000/api/chat") => ({
  url,
  headers: new Headers(headers),
});

describe("same-origin check on mutations", () => {
  const cases: { name: string; headers: Record<string, string>; authUrl?: string; url?: string; refused: boolean }[] = [
    { name: "no Origin (CLI, curl, scripts)", headers: { host: "127.0.0.1:3000" }, refused: false },
    {
      name: "our own page",
      headers: { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" },
      refused: false,
    },
    { name: "another site", headers: { host: "127.0.0.1:3000", origin: "https://evil.example" }, refused: true },
    {
      name: "another port on our host",
      headers: { host: "127.0.0.1:3000", origin: "http://127.0.0.1:4000" },
      refused: true,
    },
    {
      name: "our host over the other scheme",
      headers: { host: "troupe.test", origin: "https://troupe.test" },
      refused: true,
    },
    {
      name: "an opaque origin (sandboxed frame, data: URL)",
      headers: { host: "127.0.0.1:3000", origin: "null" },
      refused: true,
    },
    { name: "a malformed Origin", headers: { host: "127.0.0.1:3000", origin: "not a url" }, refused: true },
    {
      name: "the browser says cross-site, even without Origin",
      headers: { host: "127.0.0.1:3000", "sec-fetch-site": "cross-site" },
      refused: true,
    },
    {
      name: "cross-site marker wins over a matching Origin",
      headers: { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000", "sec-fetch-site": "cross-site" },
      refused: true,
    },
    {
      name: "a sibling subdomain (same-site, other origin)",
      headers: { host: "troupe.example.org", origin: "http://blog.example.org", "sec-fetch-site": "same-site" },
      url: "http://troupe.example.org/api/chat",
      refused: true,
    },
    {
      name: "user-initiated (Sec-Fetch-Site: none), no Origin",
      headers: { host: "127.0.0.1:3000", "sec-fetch-site": "none" },
      refused: false,
    },
    {
      name: "behind a TLS proxy: forwarded host and scheme",
      headers: {
        host: "10.0.0.5:3000",
        "x-forwarded-host": "troupe.example.org",
        "x-forwarded-proto": "https",
        origin: "https://troupe.example.org",
      },
      refused: false,
    },
    {
      name: "behind a chain of proxies: the first forwarded values",
      headers: {
        host: "10.0.0.5:3000",
        "x-forwarded-host": "troupe.example.org, 10.0.0.4",
        "x-forwarded-proto": "https,http",
        origin: "https://troupe.example.org",
      },
      refused: false,
    },
    {
      name: "behind a proxy, a page of another site",
      headers: {
        host: "10.0.0.5:3000",
        "x-forwarded-host": "troupe.example.org",
        "x-forwarded-proto": "https",
        origin: "https://troupe.example.org.evil.example",
      },
      refused: true,
    },
    {
      name: "AUTH_URL names the public address when the proxy rewrites Host",
      headers: { host: "10.0.0.5:3000", origin: "https://troupe.example.org" },
      authUrl: "https://troupe.example.org/",
      refused: false,
    },
    {
      name: "AUTH_URL does not admit other sites",
      headers: { host: "10.0.0.5:3000", origin: "https://evil.example" },
      authUrl: "https://troupe.example.org",
      refused: true,
    },
    {
      name: "default ports are the same origin",
      headers: { host: "troupe.example.org:443", "x-forwarded-proto": "https", origin: "https://troupe.example.org" },
      refused: false,
    },
    {
      name: "host names compare case-insensitively",
      headers: { host: "Troupe.Example.org", origin: "http://troupe.example.org" },
      refused: false,
    },
  ];

  for (const testCase of cases) {
    it(`${testCase.refused ? "refuses" : "allows"}: ${testCase.name}`, () => {
      const refusal = crossSiteRefusal(request(testCase.headers, testCase.url), testCase.authUrl ?? "");
      if (testCase.refused) expect(refusal).toEqual(expect.any(String));
      else expect(refusal).toBeNull();
    });
  }
});

describe("the app's public address", () => {
  it("lists AUTH_URL's origin and the addressed one, once each", () => {
    expect(appOrigins(request({ host: "troupe.test" }), "http://troupe.test/base")).toEqual(["http://troupe.test"]);
    expect(appOrigins(request({ host: "10.0.0.5:3000" }), "https://troupe.test")).toEqual([
      "https://troupe.test",
      "http://10.0.0.5:3000",
    ]);
  });

  it("knows when the browser is on https", () => {
    expect(servedOverHttps(request({ host: "troupe.test" }), "")).toBe(false);
    expect(servedOverHttps(request({ host: "troupe.test", "x-forwarded-proto": "https" }), "")).toBe(true);
    expect(servedOverHttps(request({ host: "troupe.test" }, "https://troupe.test/"), "")).toBe(true);
    expect(servedOverHttps(request({ host: "10.0.0.5" }), "https://troupe.test")).toBe(true);
  });
});
