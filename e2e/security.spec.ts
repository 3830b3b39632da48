// Security headers, the Content Security Policy on every kind of page, session cookies, the
// same-origin check on mutations, rate limits and upload limits, all against the built app.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { type APIResponse, type BrowserContext, expect, type Page, test } from "@playwright/test";
import bcrypt from "bcryptjs";
import pg from "pg";
import { APP_PORTS, SIM_PORT } from "../playwright.config";
import { createCharacter } from "./fixtures/characters";
import { seedSamples, uniqueJobId } from "./fixtures/samples";
import { TEST_PASSWORD, testUser } from "./fixtures/users";
import { AuthPage } from "./pages/auth";
import { ChatPage } from "./pages/chat";

const APP = `http://127.0.0.1:${APP_PORTS.connected}`;
const MB = 1024 * 1024;

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A user of this test alone, so filling their rate-limit buckets cannot slow any other test. */
async function freshUser(name: string) {
  const user = {
    id: randomUUID(),
    email: `${name.toLowerCase()}-${randomUUID()}@test.troupe`,
    name,
    password: TEST_PASSWORD,
    role: "USER" as const,
  };
  // Cost 4: the login only compares, and the stored cost is read from the hash.
  const hash = await bcrypt.hash(user.password, 4);
  await query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1, $2, $3, $4, now())`, [
    user.id,
    user.email,
    user.name,
    hash,
  ]);
  return user;
}

/** Put a rate-limit bucket over any configured limit until `seconds` from now. */
async function fillBucket(key: string, seconds: number) {
  await query(
    `INSERT INTO "RateLimitBucket" (key, count, "windowEnds") VALUES ($1, 1000000, now() + make_interval(secs => $2))
     ON CONFLICT (key) DO UPDATE SET count = 1000000, "windowEnds" = EXCLUDED."windowEnds"`,
    [key, seconds],
  );
}

async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies(APP)).map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

type RawAnswer = { status: number; headers: http.IncomingHttpHeaders; body: string; sentBytes: number };

/**
 * A POST written by hand: either a Content-Length that promises more than is sent, or a chunked
 * body (no length at all) of `chunkedBytes` that is never ended. Playwright's client always sends
 * the true length, so it cannot show that the server counts what actually arrives. Both leave
 * the body open so the server answers from what it counted; a body sent past the point where the
 * server stopped reading would make its socket reset when it closes, which can lose the answer.
 */
function rawPost(
  path: string,
  options: { method?: string; headers: Record<string, string>; declaredLength?: number; chunkedBytes?: number },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const request = http.request(`${APP}${path}`, {
      method: options.method ?? "POST",
      headers: {
        ...options.headers,
        ...(options.declaredLength !== undefined ? { "Content-Length": String(options.declaredLength) } : {}),
      },
    });
    request.on("response", (response) => {
      answered = true;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, sentBytes });
        request.destroy();
      });
    });
    // The server may close the connection once it has answered; only an unanswered failure counts.
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(256 * 1024, 120);
    if (options.declaredLength !== undefined) {
      request.write(chunk.subarray(0, 1024));
      sentBytes = 1024;
      return;
    }
    const total = options.chunkedBytes ?? 0;
    const pump = () => {
      while (!answered && sentBytes < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sentBytes));
        sentBytes += piece.length;
        if (!request.write(piece)) {
          request.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
}

async function expectError(response: APIResponse, status: number, code: string) {
  expect(response.status()).toBe(status);
  expect((await response.json()).error).toMatchObject({ code, message: expect.any(String) });
}

function expectRawError(answer: RawAnswer, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(JSON.parse(answer.body).error).toMatchObject({ code, message: expect.any(String) });
}

test.describe("security headers", () => {
  test("pages carry a nonce policy whose nonce every script has, fresh per response", async ({ request }) => {
    const first = await request.get("/login");
    const headers = first.headers();
    const policy = headers["content-security-policy"] ?? "";
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1] ?? "";
    expect(nonce).not.toBe("");
    expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    for (const directive of [
      "default-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ]) {
      expect(policy).toContain(directive);
    }
    expect(headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "x-frame-options": "DENY",
      "cross-origin-opener-policy": "same-origin",
      "permissions-policy": expect.stringContaining("camera=()"),
    });
    expect(headers["strict-transport-security"]).toBeUndefined();

    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(3);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);

    const second = (await request.get("/login")).headers()["content-security-policy"];
    expect(second).not.toContain(nonce);
  });

  test("API responses may not run, load or be framed; https adds HSTS to pages", async ({ request }) => {
    for (const path of ["/api/health", "/api/me"]) {
      const headers = (await request.get(path)).headers();
      expect(headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
      expect(headers["x-content-type-options"]).toBe("nosniff");
    }
    const https = (await request.get("/login", { headers: { "X-Forwarded-Proto": "https" } })).headers();
    expect(https["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    expect(https["content-security-policy"]).toContain("upgrade-insecure-requests");
  });
});

test.describe("content security policy in the browser", () => {
  /** Collects every CSP violation and CSP console error a page reports. */
  async function watchViolations(page: Page): Promise<string[]> {
    const violations: string[] = [];
    // Added through the DevTools protocol, so the policy does not apply to this script itself.
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
      });
    });
    page.on("console", (message) => {
      const text = message.text();
      if (message.type() === "error" && /content security policy|CSP violation|permissions-policy/i.test(text)) {
        violations.push(`${page.url()}: ${text}`);
      }
    });
    page.on("pageerror", (error) => violations.push(`${page.url()}: ${error.message}`));
    return violations;
  }

  test("every kind of page renders, hydrates and runs scripts without a single violation", async ({ page }) => {
    // ~35 page loads and a streamed reply on a shared 2-core machine.
    test.setTimeout(180_000);
    const violations = await watchViolations(page);

    for (const path of ["/login", "/signup", "/no-such-page"]) {
      await page.goto(path);
      await expect(page.locator("main")).toBeVisible();
    }

    await new AuthPage(page).signInAs(testUser("admin"));
    // The theme script is inline: it ran only if its nonce was accepted.
    await expect(page.locator("html")).toHaveClass(/\b(light|dark)\b/);
    const characterId = await createCharacter(page, "Policy Pia");
    const [sampleId] = await seedSamples(uniqueJobId(), [
      { prompt: [{ role: "user", content: "Hello?" }], chosen: "*Pia bows.* Hello." },
    ]);

    const chat = new ChatPage(page);
    const conversationId = await chat.startWith(characterId);
    await chat.send("Tell me about the lighthouse.");
    await chat.waitForReply();

    await page.goto("/admin/eval");
    const suiteLink = page.getByTestId("eval-suite-row").first().getByRole("link").first();
    const suitePath = await suiteLink.getAttribute("href");

    const pages = [
      "/characters",
      "/characters/explore",
      "/characters/new",
      "/characters/import",
      `/characters/${characterId}`,
      `/characters/${characterId}/edit`,
      `/characters/${characterId}/versions`,
      "/chats",
      `/chat/${conversationId}`,
      "/arena",
      "/arena/leaderboard",
      "/settings",
      "/health",
      "/admin",
      "/admin/users",
      "/admin/models",
      "/admin/routing",
      "/admin/feedback",
      "/admin/synthesis",
      "/admin/curation",
      "/admin/curation/activity",
      `/admin/curation/${sampleId}`,
      "/admin/datasets",
      "/admin/eval",
      "/admin/eval/compare",
      ...(suitePath ? [suitePath] : []),
    ];
    expect(suitePath).toMatch(/^\/admin\/eval\/suites\//);
    for (const path of pages) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await expect(page.locator("main")).toBeVisible();
      // Hydrated: the account menu is a client component that opens on click.
      await page.getByTestId("account-menu").click();
      await expect(page.getByTestId("sign-out")).toBeVisible();
      await page.keyboard.press("Escape");
    }
    // Client-side navigation and a toast (inline styles) do not trip the policy either.
    await page.goto(`/chat/${conversationId}`);
    await page.getByRole("link", { name: "Characters" }).first().click();
    await expect(page).toHaveURL(/\/characters/);
    expect(violations).toEqual([]);

    // The watch does catch what the policy blocks: an injected inline handler never runs.
    const ran = await page.evaluate(() => {
      const button = document.createElement("button");
      button.setAttribute("onclick", "window.__injected = true");
      document.body.append(button);
      button.click();
      return (window as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(violations.join("\n")).toMatch(/script-src/);
  });
});

test.describe("session cookies", () => {
  async function signInOverApi(request: Page["request"], headers: Record<string, string>) {
    const csrf = await request.get("/api/auth/csrf", { headers });
    const response = await request.post("/api/auth/callback/credentials", {
      headers,
      form: { email: testUser("bob").email, password: TEST_PASSWORD, csrfToken: (await csrf.json()).csrfToken },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(302);
    const cookies = response
      .headersArray()
      .filter((header) => header.name.toLowerCase() === "set-cookie")
      .map((header) => header.value);
    const session = cookies.find((cookie) => /^(__Secure-)?authjs\.session-token=/.test(cookie)) ?? "";
    return { session, attributes: session.split(";").map((part) => part.trim().toLowerCase()) };
  }

  test("over http: httpOnly and SameSite=Lax, without the Secure flag browsers would drop", async ({ playwright }) => {
    const request = await playwright.request.newContext({ baseURL: APP });
    const { session, attributes } = await signInOverApi(request, {});
    expect(session).toMatch(/^authjs\.session-token=/);
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).not.toContain("secure");
    await request.dispose();
  });

  test("behind a TLS proxy: __Secure- prefix with Secure, and that cookie is the session", async ({ playwright }) => {
    const request = await playwright.request.newContext({ baseURL: APP });
    const https = { "X-Forwarded-Proto": "https" };
    const { session, attributes } = await signInOverApi(request, https);
    expect(session).toMatch(/^__Secure-authjs\.session-token=/);
    expect(attributes).toEqual(expect.arrayContaining(["httponly", "secure", "samesite=lax", "path=/"]));
    const cookie = session.split(";")[0] ?? "";
    const me = await request.get("/api/me", { headers: { ...https, cookie } });
    expect((await me.json()).user.email).toBe(testUser("bob").email);
    // The proxy recognises it too: no sign-in redirect.
    const settings = await request.get("/settings", { headers: { ...https, cookie }, maxRedirects: 0 });
    expect(settings.status()).toBe(200);
    await request.dispose();
  });
});

test.describe("same-origin check on mutations", () => {
  test("a page on another origin cannot use alice's cookie to create or fork", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const original = await createCharacter(page, `Original ${randomUUID().slice(0, 8)}`);
    const forged = `Forged ${randomUUID().slice(0, 8)}`;
    const mine = async (name: string) =>
      (await (await page.request.get(`/api/characters?scope=mine&q=${encodeURIComponent(name)}`)).json()).total;

    // Another origin on the same site (another port of 127.0.0.1): SameSite=Lax still sends the
    // session cookie. Its page needs no script: a plain form can post JSON as text/plain, the
    // oldest trick against JSON APIs (anything fancier needs a CORS preflight Troupe never grants).
    const attacker = `http://127.0.0.1:${SIM_PORT}/attack`;
    const json = JSON.stringify({ profile: { name: forged, greeting: "Hi." }, tags: [], visibility: "PUBLIC" });
    const field = `${json.slice(0, -1)},"note":"`.replaceAll('"', "&quot;");
    await page.route(attacker, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><title>elsewhere</title>
          <form id="create" method="post" enctype="text/plain" action="${APP}/api/characters">
            <input name="${field}" value="forged&quot;}"></form>
          <form id="fork" method="post" enctype="text/plain" action="${APP}/api/characters/${original}/fork"></form>`,
      }),
    );
    for (const [form, url] of [
      ["create", `${APP}/api/characters`],
      ["fork", `${APP}/api/characters/${original}/fork`],
    ] as const) {
      await page.goto(attacker);
      const answered = page.waitForResponse((response) => response.url() === url);
      await page.locator(`#${form}`).evaluate((element) => (element as HTMLFormElement).submit());
      const outcome = await answered;
      const sent = await outcome.request().allHeaders();
      expect(outcome.request().method()).toBe("POST");
      expect(sent.cookie).toContain("authjs.session-token=");
      expect(sent.origin).toBe(`http://127.0.0.1:${SIM_PORT}`);
      expect(outcome.status()).toBe(403);
      expect((await outcome.json()).error.code).toBe("forbidden:origin");
    }
    await page.goto("/characters");
    expect(await mine(forged)).toBe(0);
    const forks = await query(`SELECT id FROM "Character" WHERE "forkedFromId" = $1`, [original]);
    expect(forks).toEqual([]);

    // The same fork from Troupe's own origin goes through.
    const own = await page.request.post(`/api/characters/${original}/fork`, { headers: { Origin: APP } });
    expect(own.status()).toBe(201);
  });

  test("API clients: a foreign Origin or Sec-Fetch-Site: cross-site is refused, none at all passes", async ({
    page,
  }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const data = { profile: { name: "Scripted", greeting: "Hi." }, tags: [], visibility: "PRIVATE" };
    await expectError(
      await page.request.post("/api/characters", { data, headers: { Origin: "https://evil.example" } }),
      403,
      "forbidden:origin",
    );
    await expectError(
      await page.request.post("/api/characters", { data, headers: { "Sec-Fetch-Site": "cross-site" } }),
      403,
      "forbidden:origin",
    );
    await expectError(
      await page.request.put("/api/me/consent", { data: { trainingConsent: true }, headers: { Origin: "null" } }),
      403,
      "forbidden:origin",
    );
    // Behind a proxy the forwarded host is the app's origin (the scheme stays http here: on https
    // the session cookie would be the __Secure- one).
    const proxied = await page.request.post("/api/characters", {
      data,
      headers: { Origin: "http://troupe.example.org", "X-Forwarded-Host": "troupe.example.org" },
    });
    expect(proxied.status()).toBe(201);
    expect((await page.request.post("/api/characters", { data })).status()).toBe(201);
  });
});

test.describe("rate limits", () => {
  test("chat: over the limit a 429 with Retry-After, and the typed message stays in the composer", async ({ page }) => {
    test.setTimeout(60_000);
    const user = await freshUser("Chatter");
    await new AuthPage(page).signInAs(user);
    const characterId = await createCharacter(page, "Limit Lou");
    const chat = new ChatPage(page);
    const conversationId = await chat.startWith(characterId);
    await chat.send("First message, within the limit.");
    await chat.waitForReply();
    const userMessageId = (await (await page.request.get(`/api/chat/${conversationId}`)).json()).messages.find(
      (message: { role: string }) => message.role === "user",
    )?.id;

    await fillBucket(`chat:${user.id}`, 45);
    const api = await page.request.post(`/api/chat/${conversationId}/messages`, {
      data: { content: "Over the limit", clientRequestId: randomUUID() },
    });
    await expectError(api, 429, "rate_limited:chat");
    expect(Number(api.headers()["retry-after"])).toBeGreaterThan(0);
    expect(Number(api.headers()["retry-after"])).toBeLessThanOrEqual(45);
    // Regenerating is a turn too.
    await expectError(
      await page.request.post(`/api/chat/${conversationId}/regenerate`, { data: { userMessageId } }),
      429,
      "rate_limited:chat",
    );

    const text = "Please keep this message when I am throttled.";
    await page.getByTestId("composer").fill(text);
    await page.getByTestId("composer").press("Enter");
    await expect(page.getByTestId("toast").filter({ hasText: "faster than" })).toBeVisible();
    await expect(page.getByTestId("composer")).toHaveValue(text);
    await expect(chat.messages()).toHaveCount(3);

    // Once the window is over, the same text is sent with one press.
    await query(`DELETE FROM "RateLimitBucket" WHERE key = $1`, [`chat:${user.id}`]);
    await expect(page.getByTestId("send")).toBeEnabled();
    await page.getByTestId("composer").press("Enter");
    await expect(chat.messages()).toHaveCount(5);
    await chat.waitForReply();
    await expect(chat.messages().nth(3)).toContainText(text);
  });

  test("sign-in: a stranger filling an account's failure ceiling cannot lock the owner out of their browser", async ({
    browser,
    page,
  }) => {
    const user = await freshUser("Owner");
    const auth = new AuthPage(page);
    await auth.signInAs(user);
    await auth.signOut();
    await fillBucket(`login-account:${user.email}`, 900);

    const stranger = await browser.newContext();
    try {
      const strangerAuth = new AuthPage(await stranger.newPage());
      await strangerAuth.gotoLogin();
      await strangerAuth.signIn(user.email, user.password);
      await expect(strangerAuth.formError()).toContainText("Too many failed sign-ins");
    } finally {
      await stranger.close();
    }
    // The owner's browser signed in before: the ceiling does not hold it, the right password does.
    await auth.signInAs(user);
  });

  test("sign-in: bounded body, and a bad callbackUrl in the cookie is a 400 like one in the query", async ({
    request,
  }) => {
    const refused = await rawPost("/api/auth/callback/credentials", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      chunkedBytes: 2 * MB,
    });
    expectRawError(refused, 413, "payload_too_large:body");
    for (const name of ["authjs.callback-url", "__Secure-authjs.callback-url"]) {
      await expectError(
        await request.get("/api/auth/session", { headers: { cookie: `${name}=javascript:alert(1)` } }),
        400,
        "bad_request:callback_url",
      );
    }
    // The value as Auth.js itself writes it passes.
    const own = `authjs.callback-url=${encodeURIComponent(`${APP}/chats`)}`;
    expect((await request.get("/api/auth/session", { headers: { cookie: own } })).status()).toBe(200);
  });

  test("sign-up: 20 accounts an hour per address, then a clear refusal", async ({ page }) => {
    // An address of this test alone: the app takes the last X-Forwarded-For entry.
    const octet = () => Math.floor(Math.random() * 254) + 1;
    const address = `10.${octet()}.${octet()}.${octet()}`;
    await page.setExtraHTTPHeaders({ "X-Forwarded-For": address });
    await fillBucket(`signup:${address}`, 3600);
    const email = `throttled-${randomUUID()}@test.troupe`;
    await new AuthPage(page).signUp("Throttled", email, "a-good-password");
    await expect(new AuthPage(page).formError()).toContainText("Too many accounts created from here");
    expect(await query(`SELECT id FROM "User" WHERE email = $1`, [email])).toEqual([]);
  });
});

test.describe("upload limits", () => {
  test("JSON bodies: a declared or a streamed body over the route's limit is a 413", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const characterId = await createCharacter(page, "Big Bea");
    const { id: conversationId } = await (await page.request.post("/api/chat", { data: { characterId } })).json();
    await expectError(
      await page.request.post(`/api/chat/${conversationId}/messages`, {
        data: { content: "x".repeat(70 * 1024), clientRequestId: randomUUID() },
      }),
      413,
      "payload_too_large:body",
    );
    const cookie = await cookieHeader(page.context());
    const streamed = await rawPost("/api/characters", {
      headers: { cookie, "Content-Type": "application/json" },
      chunkedBytes: 3 * MB,
    });
    expectRawError(streamed, 413, "payload_too_large:body");
  });

  test("card import: 50 files, 20 MB a file, 100 MB a request", async ({ page }) => {
    test.setTimeout(90_000);
    await new AuthPage(page).signInAs(testUser("alice"));
    // Playwright's multipart option holds one file per field name: encode the 51 files here.
    const form = new FormData();
    for (let index = 0; index < 51; index++) form.append("files", new Blob(["{}"]), `${index}.json`);
    const encoded = new Request(APP, { method: "POST", body: form });
    const manyFiles = await page.request.post("/api/characters/import", {
      headers: { "Content-Type": encoded.headers.get("content-type") ?? "" },
      data: Buffer.from(await encoded.arrayBuffer()),
    });
    await expectError(manyFiles, 413, "payload_too_large:files");

    const oversizedFile = await page.request.post("/api/characters/import", {
      multipart: { files: { name: "huge.json", mimeType: "application/json", buffer: Buffer.alloc(21 * MB, 32) } },
    });
    expect(oversizedFile.status()).toBe(422);
    expect((await oversizedFile.json()).results[0].error.code).toBe("payload_too_large:card_file");

    const cookie = await cookieHeader(page.context());
    const multipart = { cookie, "Content-Type": "multipart/form-data; boundary=x" };
    expectRawError(
      await rawPost("/api/characters/import", { headers: multipart, declaredLength: 101 * MB }),
      413,
      "payload_too_large:import",
    );
    const streamed = await rawPost("/api/characters/import", { headers: multipart, chunkedBytes: 110 * MB });
    expectRawError(streamed, 413, "payload_too_large:import");
  });

  test("avatar: 5 MB, counted even when the length is not declared", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const characterId = await createCharacter(page, "Avatar Ava");
    await expectError(
      await page.request.put(`/api/characters/${characterId}/avatar`, {
        headers: { "Content-Type": "image/png" },
        data: Buffer.alloc(6 * MB),
      }),
      413,
      "payload_too_large:avatar",
    );
    const cookie = await cookieHeader(page.context());
    const streamed = await rawPost(`/api/characters/${characterId}/avatar`, {
      method: "PUT",
      headers: { cookie, "Content-Type": "image/png" },
      chunkedBytes: 8 * MB,
    });
    expectRawError(streamed, 413, "payload_too_large:avatar");
  });

  test("admin uploads: eval suites 20 MB, synthesis inputs 2 GB", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("admin"));
    const cookie = await cookieHeader(page.context());
    const suite = await rawPost("/api/admin/eval/suites", {
      headers: { cookie, "Content-Type": "multipart/form-data; boundary=x" },
      chunkedBytes: 24 * MB,
    });
    expectRawError(suite, 413, "payload_too_large:suite");
    const input = await rawPost(`/api/admin/synthesis/inputs?kind=personas&name=${randomUUID()}`, {
      headers: { cookie, "Content-Type": "application/x-ndjson" },
      declaredLength: 2 * 1024 ** 3 + 1,
    });
    expectRawError(input, 413, "payload_too_large:input");
  });
});
