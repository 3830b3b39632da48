// Stored XSS: hostile cards, messages, model replies, personas, samples, suites and inputs are
// stored through the real UI and APIs, then every view that shows them is opened as the viewer who
// may see it. The XssGuard fails a test on any script that runs (the `__xss` sink in any frame, a
// dialog, a page error, a popup) and on markup that could run later; each test also asserts that the
// payloads are on screen as text, so passing means "rendered inert", not "dropped". No test relies
// on a Content-Security-Policy: this is escaping and sanitizing alone.
import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import { zipSync } from "fflate";
import { SIM_PORT } from "../playwright.config";
import { createCharacter } from "./fixtures/characters";
import {
  editorFields,
  gifHtmlPolyglot,
  HOSTILE_ACCOUNT,
  HOSTILE_PERSONA,
  hostileCard,
  hostileSample,
  PAYLOADS,
  type Payload,
  payloadGroups,
  SIM_SCRIPT,
  SUITE_TAG,
  SVG_AVATAR,
  simMarker,
  tagFor,
} from "./fixtures/hostile";
import { seedSamples, uniqueJobId } from "./fixtures/samples";
import { TEST_PASSWORD, testUser } from "./fixtures/users";
import { XssGuard } from "./fixtures/xss-guard";
import { AuthPage } from "./pages/auth";
import { ChatPage } from "./pages/chat";

const stamp = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

type Session = { guard: XssGuard; page: Page; close: () => Promise<void> };

/**
 * A guarded browser context signed in as one of the fixed users, or as the hostile account. The
 * page's Content Security Policy is bypassed: it would block an injected inline handler before the
 * sink saw it, and these tests prove the views are inert without it.
 */
async function session(browser: Browser, who: "admin" | "bob" | "hostile"): Promise<Session> {
  const context = await browser.newContext({ bypassCSP: true });
  const guard = await XssGuard.attach(context);
  const page = await guard.page();
  if (who === "hostile") await signInHostile(page);
  else await new AuthPage(page).signInAs(testUser(who));
  return { guard, page, close: () => context.close() };
}

/** Sign in as the account whose name is a payload, signing it up on first use (tests share it). */
async function signInHostile(page: Page) {
  const auth = new AuthPage(page);
  const signedIn = page.getByTestId("account-menu");
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await auth.gotoLogin();
    await auth.signIn(HOSTILE_ACCOUNT.email);
    await expect(signedIn.or(auth.formError())).toBeVisible();
    if (await signedIn.isVisible()) return;
    // Not there yet: sign it up (another test may be doing the same; then the next sign-in works).
    await auth.signUp(HOSTILE_ACCOUNT.name, HOSTILE_ACCOUNT.email, TEST_PASSWORD);
    await expect(signedIn.or(auth.formError()).or(page.getByText("already exists"))).toBeVisible();
    if (await signedIn.isVisible()) return;
  }
  throw new Error("could not sign in as the hostile account");
}

/** Assert each text is on screen inside `region` (rendered, not dropped) and count the renders. */
async function shows(guard: XssGuard, view: string, region: Locator, texts: string[]) {
  for (const text of texts) await expect(region, `${view} shows ${JSON.stringify(text)}`).toContainText(text);
  guard.count(view, texts.length);
}

const marker = (payload: Payload) => payload.text.split(" ")[0] ?? "";

/** The simulator answers hostile replies for our markers (one rule set for every test of this file). */
async function armSimulator(page: Page) {
  const response = await page.request.put(`http://127.0.0.1:${SIM_PORT}/sim/script`, { data: SIM_SCRIPT });
  expect(response.status()).toBe(200);
}

/** The payload as a file name, without what an upload encodes (`"`, `%`) or treats as a path. */
const cardFileName = (payload: Payload) => `${payload.text.replace(/["%\\/\u2028\u2029]/g, "_")}.json`;
const characterName = (payload: Payload, tag: string) => `${payload.text} ${tag}`;

/** Import cards through the import page; returns the new characters' ids in payload order. */
async function importCards(owner: Session, payloads: Payload[], tag: string): Promise<string[]> {
  const { page, guard } = owner;
  await page.goto("/characters/import");
  await page.getByTestId("import-input").setInputFiles(
    payloads.map((payload) => ({
      name: cardFileName(payload),
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(hostileCard(payload, tag))),
    })),
  );
  const results = page.getByTestId("import-result");
  await expect(results).toHaveCount(payloads.length, { timeout: 60_000 });
  const ids: string[] = [];
  for (const [index, payload] of payloads.entries()) {
    const result = results.nth(index);
    await expect(result).toHaveAttribute("data-ok", "true");
    await shows(guard, "import results", result, [cardFileName(payload).slice(0, -5), characterName(payload, tag)]);
    const href = (await result.getByRole("link").getAttribute("href")) ?? "";
    ids.push(href.split("/").at(-1) ?? "");
  }
  await guard.check(page, "import results", [results]);
  return ids;
}

/** Save version 2 (the diff page has something to show) and make the character public. */
async function publishVersion2(page: Page, id: string, payload: Payload) {
  const current = await (await page.request.get(`/api/characters/${id}`)).json();
  const response = await page.request.put(`/api/characters/${id}`, {
    data: {
      profile: { ...current.profile, description: `${current.profile.description}\n\n${payload.block} (v2)` },
      tags: current.tags,
      visibility: "PUBLIC",
      note: payload.text,
    },
  });
  expect(response.status()).toBe(200);
}

const IDENTITY = ["Nickname", "Age", "Gender", "Species", "Birthplace", "Occupation"];
const BLOCKS = [
  "Description",
  "Appearance",
  "Personality",
  "Background",
  "Speaking style",
  "Scenario",
  "Greeting",
  "Knowledge boundary",
  "Example dialogues",
  "Creator notes",
];

/** The character page: every profile field it shows, each in its own place. */
async function checkCharacterPage(viewer: Session, id: string, payload: Payload, tag: string, view: string) {
  const { page, guard } = viewer;
  await page.goto(`/characters/${id}`);
  const article = page.getByTestId("character-page");
  await shows(guard, view, page.getByTestId("character-name"), [characterName(payload, tag)]);
  for (const label of IDENTITY) await shows(guard, view, page.locator(`dt:text-is("${label}") + dd`), [payload.text]);
  for (const title of BLOCKS) {
    const section = article.locator("section").filter({ has: page.getByRole("heading", { name: title, exact: true }) });
    await shows(guard, view, section, [title === "Example dialogues" ? payload.text : payload.block]);
  }
  const facts = article.locator("section").filter({ has: page.getByRole("heading", { name: "Facts", exact: true }) });
  await shows(guard, view, facts, [`${payload.text}: ${payload.text}`]);
  const tag_ = tagFor(payload);
  if (tag_) await shows(guard, view, article.locator("header"), [tag_]);
  await shows(guard, `${view} (account name)`, article.locator("header"), [HOSTILE_ACCOUNT.name]);
  await guard.check(page, view, [article.locator("section"), article.locator("header"), article.locator("dd")]);
}

/** The editor: every tab's fields hold the payload exactly, and the prompt preview shows it resolved. */
async function checkEditPage(owner: Session, id: string, payload: Payload, tag: string) {
  const { page, guard } = owner;
  const view = "edit page";
  await page.goto(`/characters/${id}/edit`);
  await expect(page.getByTestId("character-editor")).toBeVisible();
  for (const [tab, fields] of Object.entries(editorFields(payload, tag))) {
    await page.getByRole("tab", { name: tab }).click();
    await expect(page.getByTestId(`field-${fields[0]?.[0]}`)).toBeVisible();
    const values = await page
      .locator('[data-testid^="field-"]')
      .evaluateAll((inputs) =>
        Object.fromEntries(
          inputs.map((input) => [input.getAttribute("data-testid")?.slice(6), (input as HTMLInputElement).value]),
        ),
      );
    const expected = Object.fromEntries(
      fields.map(([field, value]) => [field, field === "description" ? `${value}\n\n${payload.block} (v2)` : value]),
    );
    expect(values, `${view}, ${tab} tab`).toMatchObject(expected);
    guard.count(view, fields.length);
    await guard.check(page, `${view}, ${tab} tab`);
  }
  await page.getByRole("tab", { name: "Lorebook" }).click();
  const lorebook = page.getByTestId("lorebook-editor");
  await expect(lorebook.locator("textarea").first()).toHaveValue(payload.block);
  await expect(lorebook.locator("input").first()).toHaveValue(payload.text);
  guard.count(view, 2);
  await guard.check(page, `${view}, Lorebook tab`);
  // The preview resolves {{char}} and {{user}} (the account's own hostile name) inside the text.
  await shows(guard, "prompt preview", page.getByTestId("prompt-preview"), [
    payload.block,
    characterName(payload, tag),
    `{{user}}: ${payload.text}`.replace("{{user}}", HOSTILE_ACCOUNT.name),
  ]);
  await guard.check(page, "prompt preview", [page.getByTestId("prompt-preview")]);
}

async function checkVersionsPage(owner: Session, id: string, payload: Payload, tag: string) {
  const { page, guard } = owner;
  const view = "versions and diff";
  await page.goto(`/characters/${id}/versions?a=1&b=2`);
  await shows(guard, view, page.getByTestId("version-list"), [payload.text]);
  await shows(guard, view, page.getByRole("heading", { level: 1 }), [characterName(payload, tag)]);
  await shows(guard, view, page.getByTestId("version-diff"), [`${payload.block} (v2)`]);
  await guard.check(page, view, [page.getByTestId("version-list"), page.getByTestId("version-diff").locator("pre")]);
}

/** Character lists: tiles show the name, the tags and the owner's (hostile) name. */
async function checkTiles(viewer: Session, url: string, view: string, payloads: Payload[], tag: string) {
  const { page, guard } = viewer;
  await page.goto(url);
  const tiles = page.getByTestId("character-tile");
  await expect(tiles).toHaveCount(payloads.length);
  for (const payload of payloads) {
    const tile = tiles.filter({ hasText: marker(payload) });
    await shows(guard, view, tile.getByTestId("character-tile-name"), [characterName(payload, tag)]);
    const tag_ = tagFor(payload);
    await shows(guard, view, tile, [HOSTILE_ACCOUNT.name, ...(tag_ ? [tag_] : [])]);
  }
  await guard.check(page, view, [tiles]);
}

/** A card export is a download, never a page: JSON with the payloads intact, as an attachment. */
async function checkExports(viewer: Session, id: string, payload: Payload, tag: string) {
  const { page, guard } = viewer;
  for (const format of ["v2", "v3", "png", "charx"] as const) {
    const response = await page.request.get(`/api/characters/${id}/export?format=${format}`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-disposition"]).toMatch(/^attachment;/);
    expect(response.headers()["content-type"]).toBe(
      { v2: "application/json", v3: "application/json", png: "image/png", charx: "application/zip" }[format],
    );
    if (format === "v3") {
      const card = await response.json();
      expect(card.data.name).toBe(characterName(payload, tag));
      expect(card.data.description).toContain(payload.block);
    }
  }
  const url = `/api/characters/${id}/export?format=v3`;
  const [download] = await Promise.all([page.waitForEvent("download"), page.goto(url).catch(() => null)]);
  expect(download.suggestedFilename()).toMatch(/\.v3\.json$/);
  guard.count("card export opened in the browser", 1);
  await guard.check(page, "card export opened in the browser");
}

/** Settings: the persona `{{user}}` stands for is a payload; the form shows it back exactly. */
async function setHostilePersona(owner: Session) {
  const { page, guard } = owner;
  const view = "settings";
  expect((await page.request.put("/api/me/consent", { data: { trainingConsent: true } })).status()).toBe(200);
  await page.goto("/settings");
  await page.getByTestId("persona-name").fill(HOSTILE_PERSONA.name);
  await page.locator("#persona-default-description").fill(HOSTILE_PERSONA.description);
  const saved = page.waitForResponse((response) => response.request().method() === "POST");
  await page.getByTestId("persona-save").click();
  await saved;
  await page.reload();
  await expect(page.getByTestId("persona-name")).toHaveValue(HOSTILE_PERSONA.name);
  await expect(page.locator("#persona-default-description")).toHaveValue(HOSTILE_PERSONA.description);
  guard.count(view, 2);
  await shows(guard, view, page.locator("main"), [HOSTILE_ACCOUNT.name]);
  await guard.check(page, view, [page.locator("main")]);
}

/** Text rendered as chat markdown: HTML is dropped, so the marker is what must be on screen. */
const rendered = (payloads: Payload[]) => payloads.map(marker);

test.describe("stored XSS", () => {
  for (const [part, group] of payloadGroups(4).entries()) {
    test(`hostile cards (payloads ${group[0]?.id}–${group.at(-1)?.id}) imported through the import page stay inert on the character page, editor and preview, history, lists, gallery and exports`, async ({
      browser,
    }) => {
      test.setTimeout(600_000);
      const tag = `${SUITE_TAG}-${part}-${stamp()}`;
      const owner = await session(browser, "hostile");
      const viewer = await session(browser, "bob");
      const ids = await importCards(owner, group, tag);
      for (const [index, payload] of group.entries()) await publishVersion2(owner.page, ids[index] ?? "", payload);

      await checkTiles(owner, `/characters?q=${tag}`, "my characters", group, tag);
      await checkTiles(viewer, `/characters/explore?q=${tag}`, "gallery", group, tag);
      for (const [index, payload] of group.entries()) {
        const id = ids[index] ?? "";
        await checkCharacterPage(owner, id, payload, tag, "character page (owner)");
        await checkCharacterPage(viewer, id, payload, tag, "character page (another user)");
        await checkEditPage(owner, id, payload, tag);
        await checkVersionsPage(owner, id, payload, tag);
        await checkExports(viewer, id, payload, tag);
      }
      owner.guard.report();
      viewer.guard.report();
      await owner.close();
      await viewer.close();
    });
  }

  for (const [part, group] of payloadGroups(3).entries()) {
    test(`chat (payloads ${group[0]?.id}–${group.at(-1)?.id}): greetings and their swipes, messages, model replies, regenerated and edited replies, a branch, a rating comment, title and per-chat persona stay inert on the chat page, the chats list, Settings and the admin's feedback views`, async ({
      browser,
    }) => {
      test.setTimeout(600_000);
      const tag = `${SUITE_TAG}-chat${part}-${stamp()}`;
      const owner = await session(browser, "hostile");
      const { page, guard } = owner;
      await armSimulator(page);
      await setHostilePersona(owner);
      const [first, ...rest] = group;
      if (!first || !rest[0]) throw new Error("a payload group needs two payloads");
      const characterId = await createCharacter(page, characterName(first, tag), {
        greeting: `*{{char}} waves.* ${first.block}\n\nHello, {{user}}.`,
        alternateGreetings: rest.map((payload) => `${payload.block}\n\nHello again, {{user}}.`),
        description: first.block,
      });
      const chat = new ChatPage(page);
      const conversationId = await chat.startWith(characterId);
      const text = (message: Locator) => message.getByTestId("message-text");

      // The greeting resolves {{char}} and {{user}} (the persona) inside markdown; its swipes are the others.
      const greeting = chat.messages().first();
      await shows(guard, "chat greetings", text(greeting), [marker(first), "xss91"]);
      await guard.check(page, "chat greetings", [text(greeting)]);
      for (const [index, payload] of rest.entries()) {
        await greeting.getByTestId("swipe-next").click();
        await expect(greeting.getByTestId("swipe-position")).toHaveText(`${index + 2}/${group.length}`);
        await shows(guard, "chat greetings", text(greeting), [marker(payload), "xss91"]);
        await guard.check(page, "chat greetings", [text(greeting)]);
      }

      // Each message carries a payload and makes the model answer with the same payload.
      for (const payload of group) {
        await chat.send(`${payload.block}\n\n${simMarker("reply", payload)}`);
        await chat.waitForReply();
        const count = await chat.messages().count();
        await shows(guard, "chat user messages", text(chat.messages().nth(count - 2)), [marker(payload)]);
        await shows(guard, "chat model replies", text(chat.last()), [marker(payload)]);
        await guard.check(page, "chat", [text(chat.messages())]);
      }
      await page.reload();
      await expect(chat.messages()).toHaveCount(1 + 2 * group.length);
      await shows(guard, "chat history", page.getByTestId("chat-messages"), rendered(group));
      await guard.check(page, "chat history", [text(chat.messages())]);

      // A regenerated reply is a swipe; editing shows the stored text in a textarea, then saves another.
      const last = group.at(-1) ?? first;
      await chat.last().getByTestId("swipe-next").click();
      await expect(chat.last().getByTestId("swipe-position")).toHaveText("2/2");
      await chat.waitForReply();
      await shows(guard, "chat reply swipes", text(chat.last()), [marker(last)]);
      await guard.check(page, "chat reply swipes", [text(chat.last())]);
      await chat.last().hover();
      await chat.last().getByTestId("edit-message").click();
      await expect(page.getByTestId("edit-textarea")).toHaveValue(last.block);
      guard.count("chat edit mode", 1);
      await guard.check(page, "chat edit mode");
      await page.getByTestId("edit-textarea").fill(first.block);
      await page.getByTestId("edit-save").click();
      await expect(chat.last().getByTestId("swipe-position")).toHaveText("3/3");
      await shows(guard, "chat edited replies", text(chat.last()), [marker(first)]);
      await guard.check(page, "chat edited replies", [text(chat.last())]);

      // A thumbs-down with a hostile comment (it reaches the admin with the sample's lineage).
      await chat.last().getByTestId("thumbs-down").click();
      await chat.last().getByLabel("Comment").fill(first.text);
      await expect(chat.last().getByLabel("Comment")).toHaveValue(first.text);
      guard.count("chat rating comment", 1);
      await chat.last().getByTestId("save-rating").click();
      await expect(chat.last().getByTestId("rating-details")).toHaveCount(0);
      await guard.check(page, "chat rating comment", [text(chat.last())]);

      // Editing the first user message starts a branch from a new payload.
      const branch = rest[0];
      const userMessage = chat.messages().nth(1);
      await userMessage.hover();
      await userMessage.getByTestId("edit-message").click();
      await page.getByTestId("edit-textarea").fill(`${branch.block}\n\n${simMarker("reply", branch)}`);
      await page.getByTestId("edit-save").click();
      await chat.waitForReply();
      await expect(chat.messages()).toHaveCount(3);
      await shows(guard, "chat branches", text(chat.messages().nth(1)), [marker(branch)]);
      await shows(guard, "chat model replies", text(chat.last()), [marker(branch)]);
      await guard.check(page, "chat branches", [text(chat.messages())]);

      // Title and the per-chat persona, in the header and the settings dialog.
      const title = `${last.text} ${tag}`;
      await page.getByTestId("chat-settings").click();
      await page.locator("#chat-title").fill(title);
      await page.locator("#persona-name").fill(HOSTILE_PERSONA.name);
      await page.locator("#persona-description").fill(HOSTILE_PERSONA.description);
      await page.getByTestId("save-chat-settings").click();
      await shows(guard, "chat title", page.getByTestId("chat-title"), [title]);
      await page.reload();
      await shows(guard, "chat title", page.getByTestId("chat-title"), [title]);
      await shows(guard, "chat page header", page.getByTestId("chat-subtitle"), [characterName(first, tag)]);
      await page.getByTestId("chat-settings").click();
      await expect(page.locator("#chat-title")).toHaveValue(title);
      await expect(page.locator("#persona-name")).toHaveValue(HOSTILE_PERSONA.name);
      await expect(page.locator("#persona-description")).toHaveValue(HOSTILE_PERSONA.description);
      guard.count("chat settings", 3);
      await guard.check(page, "chat settings", [page.getByRole("dialog")]);
      await page.keyboard.press("Escape");

      await page.goto(`/chats?q=${tag}`);
      const item = page.getByTestId("chat-list-item");
      await expect(item).toHaveCount(1);
      await shows(guard, "chats list", item, [title, characterName(first, tag)]);
      await guard.check(page, "chats list", [item]);
      expect(new URL(await item.evaluate((link) => (link as HTMLAnchorElement).href)).pathname).toBe(
        `/chat/${conversationId}`,
      );

      // The admin sees the rating's comment in the KTO sample's lineage, and the character in the stats.
      const admin = await session(browser, "admin");
      await expect(async () => {
        await admin.page.goto(`/admin/curation?characterId=${characterId}&kind=KTO`);
        await expect(admin.page.getByTestId("queue-row")).toHaveCount(1, { timeout: 1000 });
      }).toPass({ timeout: 90_000 });
      await shows(admin.guard, "curation queue (from chat)", admin.page.getByTestId("queue-row"), [marker(first)]);
      await admin.guard.check(admin.page, "curation queue (from chat)", [admin.page.getByTestId("queue-row")]);
      await admin.page.getByTestId("queue-row").getByRole("link").first().click();
      await expect(admin.page.getByTestId("sample-review")).toHaveAttribute("data-ready", "true");
      await admin.page.getByTestId("lineage").locator("summary").click();
      await shows(admin.guard, "sample page (from chat)", admin.page.getByTestId("lineage"), [
        JSON.stringify(first.text).slice(1, -1),
      ]);
      await shows(admin.guard, "sample page (from chat)", admin.page.getByTestId("sample-review"), [first.block]);
      await admin.guard.check(admin.page, "sample page (from chat)", [admin.page.getByTestId("turn")]);
      await admin.page.goto("/admin/feedback");
      await shows(admin.guard, "feedback stats", admin.page.getByTestId("stats-by-character"), [
        characterName(first, tag),
      ]);
      await admin.guard.check(admin.page, "feedback stats", [admin.page.getByTestId("stats-by-character")]);

      owner.guard.report();
      admin.guard.report();
      await owner.close();
      await admin.close();
    });
  }

  test("curation and datasets: hostile samples stay inert in the queue, on every sample page (turns, pair, KTO, flags, judge, lineage, a typed rejection reason, a revision), in bulk history, and in a dataset version and its card", async ({
    browser,
  }) => {
    test.setTimeout(420_000);
    const word = `xsscur${stamp()}`;
    const admin = await session(browser, "admin");
    const { page, guard } = admin;
    const [first, second] = PAYLOADS;
    if (!first || !second) throw new Error("no payloads");
    const jobId = uniqueJobId();
    const ids = await seedSamples(jobId, [
      ...PAYLOADS.map((payload) => hostileSample(payload, word)),
      {
        kind: "PREFERENCE",
        prompt: [{ role: "user", content: `${first.block} ${word}` }],
        chosen: first.block,
        rejected: second.block,
      },
      {
        kind: "KTO",
        prompt: [{ role: "user", content: `${second.block} ${word}` }],
        chosen: second.block,
        label: false,
      },
    ]);
    const query = `jobId=${jobId}&sort=oldest`;

    await page.goto(`/admin/curation?${query}`);
    const rows = page.getByTestId("queue-row");
    await expect(rows).toHaveCount(ids.length);
    for (const [index, payload] of PAYLOADS.entries()) {
      await shows(guard, "curation queue", rows.nth(index), [`${payload.text} — and again? ${word}`, payload.block]);
    }
    await shows(guard, "curation queue", rows.nth(PAYLOADS.length), [first.block]);
    await shows(guard, "curation queue", rows.nth(PAYLOADS.length + 1), [second.block]);
    await guard.check(page, "curation queue", [rows]);

    const review = page.getByTestId("sample-review");
    const open = async (id: string) => {
      await page.goto(`/admin/curation/${id}?${query}`);
      await expect(review).toHaveAttribute("data-ready", "true");
      for (const details of await review.locator("details").all()) await details.locator("summary").click();
    };
    for (const [index, payload] of PAYLOADS.entries()) {
      await open(ids[index] ?? "");
      const view = "sample page";
      const turns = review.getByTestId("turn");
      await shows(guard, view, review.getByTestId("system-prompt"), [payload.block]);
      await shows(guard, view, turns.nth(0), [payload.block]);
      await shows(guard, view, turns.nth(1), [payload.block]);
      await shows(guard, view, turns.nth(2), [`${payload.text} — and again?`]);
      await shows(guard, view, turns.nth(3), [payload.block]);
      await shows(guard, view, review.getByTestId("flags"), [payload.text]);
      await shows(guard, view, review.getByTestId("judge"), [payload.block]);
      await shows(guard, view, review.getByTestId("lineage"), [JSON.stringify(payload.text).slice(1, -1)]);
      await guard.check(page, view, [turns, review.getByTestId("judge"), review.getByTestId("lineage")]);
    }
    await open(ids[PAYLOADS.length] ?? "");
    await shows(guard, "sample page", page.getByTestId("pair-chosen"), [first.block]);
    await shows(guard, "sample page", page.getByTestId("pair-rejected"), [second.block]);
    await guard.check(page, "sample page", [page.getByTestId("pair-chosen"), page.getByTestId("pair-rejected")]);
    await open(ids[PAYLOADS.length + 1] ?? "");
    await shows(guard, "sample page", page.getByTestId("kto-answer"), [second.block]);
    await guard.check(page, "sample page", [page.getByTestId("kto-answer")]);

    // A rejection reason typed by the reviewer, and a revision whose answer is a payload.
    await open(ids[0] ?? "");
    await page.keyboard.press("r");
    await page.getByTestId("reason-picker").getByRole("textbox").fill(second.text);
    await page.getByTestId("reason-picker").getByRole("textbox").press("Enter");
    await expect(review).not.toHaveAttribute("data-sample-id", ids[0] ?? "");
    await open(ids[0] ?? "");
    await shows(guard, "review history", page.getByTestId("review-history"), [second.text]);
    await guard.check(page, "review history", [page.getByTestId("review-history")]);
    await open(ids[1] ?? "");
    await page.keyboard.press("e");
    const editor = page.getByTestId("revision-editor");
    await expect(editor.getByLabel("Answer", { exact: true })).toHaveValue(second.block);
    guard.count("revision editor", 1);
    await guard.check(page, "revision editor");
    await editor.getByLabel("Answer", { exact: true }).fill(`${first.block} (revised)`);
    await editor.getByLabel("Answer", { exact: true }).press("Control+Enter");
    await expect(review).not.toHaveAttribute("data-sample-id", ids[1] ?? "");
    await expect(review).toHaveAttribute("data-ready", "true");
    await shows(guard, "sample page (revision)", review.getByTestId("turn").last(), [`${first.block} (revised)`]);
    await guard.check(page, "sample page (revision)", [review.getByTestId("turn")]);

    // Approve the rest in bulk, then snapshot them into a dataset whose description and seed are hostile.
    await page.goto(`/admin/curation?${query}`);
    await page.getByTestId("bulk-preview").click();
    await page.getByTestId("bulk-apply").click();
    await expect(page.getByTestId("bulk-result")).toContainText("Approved");
    await guard.check(page, "curation bulk history", [page.getByTestId("bulk-history")]);

    const description = PAYLOADS.map((payload) => payload.text)
      .join("\n")
      .slice(0, 2000);
    const seed = first.text;
    await page.goto("/admin/datasets");
    await page.getByLabel("Name").fill(`xss ${word}`);
    await page.getByLabel("Description").fill(description);
    await page.getByLabel("Words").fill(word);
    await page.getByLabel("Split seed").fill(seed);
    await page.getByTestId("dataset-preview").click();
    await expect(page.getByTestId("dataset-count")).toContainText(/[1-9]\d* approved sample\(s\) match/);
    await guard.check(page, "datasets page", [page.getByTestId("create-dataset")]);
    await page.getByTestId("dataset-create").click();
    await expect(page).toHaveURL(/\/admin\/datasets\/[^/]+$/);
    const version = page.getByTestId("dataset-version");
    await shows(guard, "dataset version", version.locator("code").first(), [seed]);
    // The card is markdown with the admin's text escaped: every payload is on it as text.
    const card = page.getByTestId("dataset-card");
    await shows(guard, "dataset card", card, [
      ...PAYLOADS.filter((payload) => description.includes(payload.text)).map(marker),
      seed.replace(/\s+/g, " "),
    ]);
    await guard.check(page, "dataset version and card", [card, version.locator("code")]);
    const cardUrl = `${page.url().replace("/admin/datasets/", "/api/admin/datasets/")}/card`;
    const response = await page.request.get(cardUrl);
    expect(response.headers()["content-type"]).toContain("text/markdown");
    expect(response.headers()["content-disposition"]).toMatch(/^attachment;/);
    const [download] = await Promise.all([page.waitForEvent("download"), page.goto(cardUrl).catch(() => null)]);
    expect(download.suggestedFilename()).toMatch(/card\.md$/);
    guard.count("dataset card opened in the browser", 1);
    await guard.check(page, "dataset card opened in the browser");
    await page.goto("/admin/datasets");
    await guard.check(page, "datasets page", [page.getByTestId("dataset-versions")]);
    guard.report();
    await admin.close();
  });

  test("synthesis: hostile input files, seeds and model output stay inert on the synthesis page, the job pages (produced samples, characters created) and a generated character's page", async ({
    browser,
  }) => {
    test.setTimeout(300_000);
    const word = `xsssyn${stamp()}`;
    const admin = await session(browser, "admin");
    const { page, guard } = admin;
    await armSimulator(page);
    const [first] = PAYLOADS;
    if (!first) throw new Error("no payloads");
    const characterId = await createCharacter(page, characterName(first, word), { description: first.block });

    const upload = async (kind: string, name: string, lines: string[]) => {
      await page.goto("/admin/synthesis");
      await page.locator("#input-kind").selectOption(kind);
      await page.locator("#input-file").setInputFiles({
        name,
        mimeType: "application/x-ndjson",
        buffer: Buffer.from(`${lines.join("\n")}\n`),
      });
      await page.getByTestId("upload-input").click();
      await expect(page.getByTestId("synthesis-inputs")).toContainText(name);
    };
    const instructions = `${first.text.replace(/["%\\/\u2028\u2029]/g, "_")} ${word}.jsonl`;
    await upload(
      "instructions",
      instructions,
      PAYLOADS.map((payload) =>
        JSON.stringify({
          instruction: `${payload.block}\n${simMarker("reply", payload)}`,
          input: "",
          output: payload.block,
        }),
      ),
    );
    const personas = `personas ${word}.txt`;
    await upload(
      "personas",
      personas,
      PAYLOADS.map((payload) => `${payload.text} ${simMarker("profile", payload)}`),
    );
    await page.reload();
    await shows(guard, "synthesis page", page.getByTestId("synthesis-inputs"), [instructions]);
    await guard.check(page, "synthesis page", [page.getByTestId("synthesis-inputs")]);

    const run = async (pipeline: string, input: string) => {
      await page.goto("/admin/synthesis");
      await page.locator("#synth-pipeline").selectOption(pipeline);
      await page.locator("#synth-input").selectOption({ label: `${input} (${PAYLOADS.length})` });
      if (pipeline === "generate") {
        await page.locator("#synth-characters").fill(characterId);
        await page.locator("#synth-n").fill("1");
      }
      await page.getByTestId("synth-start").click();
      await expect(page).toHaveURL(/\/admin\/synthesis\/[a-z0-9]+$/);
      await expect(page.getByTestId("job-status")).toHaveText("completed", { timeout: 120_000 });
      await expect(page.getByTestId("job-counters")).toContainText(`${PAYLOADS.length} / ${PAYLOADS.length}`);
    };

    // generate: the seeds' user turns and the model's answers become samples, on the job page
    // (its first few) and in the curation queue (all of them).
    await run("generate", instructions);
    const jobId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
    const samples = page.getByTestId("job-sample");
    await expect(samples.first()).toBeVisible();
    for (const sample of await samples.all()) {
      await sample.locator("summary").click();
      const shown = (await sample.textContent()) ?? "";
      const payload = PAYLOADS.find((candidate) => shown.includes(simMarker("reply", candidate)));
      if (!payload) throw new Error(`a produced sample without a payload: ${shown.slice(0, 200)}`);
      await shows(guard, "synthesis job (samples)", sample.locator("summary"), [payload.block]);
      await shows(guard, "synthesis job (samples)", sample.locator("pre"), [
        JSON.stringify(payload.block).slice(1, -1),
      ]);
    }
    await guard.check(page, "synthesis job (samples)", [samples]);
    const rows = page.getByTestId("queue-row");
    await expect(async () => {
      await page.goto(`/admin/curation?jobId=${jobId}`);
      await expect(rows).toHaveCount(PAYLOADS.length, { timeout: 1000 });
    }).toPass({ timeout: 90_000 });
    for (const payload of PAYLOADS) {
      await shows(guard, "curation queue (synthesized)", rows.filter({ hasText: simMarker("reply", payload) }), [
        payload.block,
      ]);
    }
    await guard.check(page, "curation queue (synthesized)", [rows]);

    // profiles: the model's profile (name, tags, every field) becomes a character.
    await run("profiles", personas);
    const created = page.getByTestId("job-characters").locator("li");
    await expect(created.first()).toBeVisible();
    for (const character of await created.all()) {
      const shown = (await character.textContent()) ?? "";
      const payload = PAYLOADS.find((candidate) => shown.startsWith(marker(candidate)));
      if (!payload) throw new Error(`a created character without a payload: ${shown}`);
      await shows(guard, "synthesis job (characters created)", character, [payload.text.slice(0, 80)]);
    }
    await guard.check(page, "synthesis job (characters created)", [created]);
    const link = created.filter({ hasText: first.text }).getByRole("link").first();
    await link.click();
    await expect(page.getByTestId("character-page")).toBeVisible();
    await shows(guard, "character page (synthetic)", page.getByTestId("character-page"), [
      first.text,
      first.block,
      `xss${first.id} <svg onload=__xss(${first.id})>`,
    ]);
    await guard.check(page, "character page (synthetic)", [page.getByTestId("character-page").locator("section")]);
    await page.goto("/admin/synthesis");
    await guard.check(page, "synthesis page", [page.getByTestId("synthesis-jobs")]);
    guard.report();
    await admin.close();
  });

  test("evaluation: a hostile suite, the model's answers and the judge's rationales stay inert on the evaluation, suite, run and compare pages", async ({
    browser,
  }) => {
    test.setTimeout(420_000);
    const word = `xsseval${stamp()}`;
    const admin = await session(browser, "admin");
    const { page, guard } = admin;
    await armSimulator(page);
    const [first] = PAYLOADS;
    if (!first) throw new Error("no payloads");
    const name = `${first.text} ${word}`;
    const description = PAYLOADS.map((payload) => payload.text)
      .join(" ")
      .slice(0, 1000);
    const lines = [
      { suite: { name, kind: "persona", description } },
      ...PAYLOADS.map((payload) => ({
        id: payload.text,
        persona: payload.block,
        question: `${payload.block}\n${simMarker("reply", payload)}`,
        task: "expected_action",
        rubric: `${simMarker("judge", payload)} ${payload.block}`,
      })),
    ];
    await page.goto("/admin/eval");
    await page.getByLabel("Suite file").setInputFiles({
      name: `${word}.jsonl`,
      mimeType: "application/x-ndjson",
      buffer: Buffer.from(`${lines.map((line) => JSON.stringify(line)).join("\n")}\n`),
    });
    await page.getByTestId("eval-upload-submit").click();
    const row = page.getByTestId("eval-suite-row").filter({ hasText: word });
    await shows(guard, "evaluation page", row, [`${name} v1`]);
    await guard.check(page, "evaluation page", [page.getByTestId("eval-suites")]);

    const startRun = async () => {
      await page.goto("/admin/eval");
      const form = page.getByTestId("eval-start-run");
      await form.getByLabel("Suite").selectOption({ label: `${name} v1 (persona)` });
      await form.getByLabel("Judge samples (n)").fill("1");
      await form.getByTestId("eval-start-submit").click();
      await form.getByTestId("eval-run-link").click();
      await expect(page).toHaveURL(/\/admin\/eval\/runs\/[^/?]+$/);
      await expect(async () => {
        await page.reload();
        await expect(page.getByTestId("eval-job-status")).toHaveText("completed", { timeout: 1000 });
      }).toPass({ timeout: 120_000 });
      return page.url();
    };
    await startRun();
    const runUrl = await startRun();

    const items = page.getByTestId("eval-item");
    await expect(items).toHaveCount(PAYLOADS.length);
    for (const replies of await page.getByTestId("eval-judge-replies").all()) await replies.locator("summary").click();
    for (const payload of PAYLOADS) {
      const item = items.filter({ hasText: simMarker("reply", payload) });
      await shows(guard, "evaluation run", item, [payload.block.replace(/\s+/g, " "), marker(payload)]);
      await shows(guard, "evaluation run", item.getByTestId("eval-judge-replies"), [payload.block]);
    }
    await guard.check(page, "evaluation run", [items]);

    await page.getByRole("link", { name: "← Leaderboard" }).click();
    await expect(page.getByTestId("eval-suite")).toBeVisible();
    await shows(guard, "evaluation suite", page.getByTestId("eval-suite"), [`${name} v1`, description.slice(0, 200)]);
    await guard.check(page, "evaluation suite", [page.getByTestId("eval-suite")]);
    await page.getByTestId("eval-compare-submit").click();
    await expect(page).toHaveURL(/\/admin\/eval\/compare\?a=[^&]+&b=[^&]+$/);
    const compared = page.getByTestId("eval-compare-item").or(page.getByTestId("eval-worse"));
    await expect(compared).toHaveCount(PAYLOADS.length);
    for (const payload of PAYLOADS) {
      await shows(guard, "evaluation compare", compared.filter({ hasText: simMarker("reply", payload) }), [
        payload.block.replace(/\s+/g, " "),
      ]);
    }
    await guard.check(page, "evaluation compare", [compared]);
    expect(runUrl).toContain("/admin/eval/runs/");
    const suiteExport = await page.request.get(
      `${new URL((await page.getByRole("link", { name: "← Leaderboard" }).getAttribute("href")) ?? "", page.url()).pathname.replace("/admin/eval/suites/", "/api/admin/eval/suites/")}/export`,
    );
    expect(suiteExport.headers()["content-disposition"]).toMatch(/^attachment;/);
    guard.report();
    await admin.close();
  });

  test("avatars: an SVG upload is refused, an SVG icon in a CHARX card is dropped, and an image that hides HTML is served as an inert image, also when opened directly", async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const word = `xssavatar${stamp()}`;
    const owner = await session(browser, "hostile");
    const { page, guard } = owner;
    const [first, second] = PAYLOADS;
    if (!first || !second) throw new Error("no payloads");
    const characterId = await createCharacter(page, characterName(first, word));
    const avatarUrl = `/api/characters/${characterId}/avatar`;

    const refused = await page.request.put(avatarUrl, {
      data: Buffer.from(SVG_AVATAR),
      headers: { "content-type": "image/svg+xml" },
    });
    expect(refused.status()).toBe(400);
    expect((await refused.json()).error.code).toBe("bad_request:avatar");
    await page.goto(`/characters/${characterId}`);
    await page.getByTestId("avatar-input").setInputFiles({
      name: "avatar.svg",
      mimeType: "image/svg+xml",
      buffer: Buffer.from(SVG_AVATAR),
    });
    await expect(page.getByTestId("toast").filter({ hasText: "Avatar not changed" })).toBeVisible();
    expect((await page.request.get(avatarUrl)).status()).toBe(404);
    await guard.check(page, "character page (SVG avatar refused)");

    // A CHARX card whose icon is the SVG: imported, without an avatar.
    const card = hostileCard(second, word);
    const charx = zipSync({
      "card.json": Buffer.from(
        JSON.stringify({
          ...card,
          data: {
            ...card.data,
            assets: [{ type: "icon", uri: "embeded://assets/icon/images/main.svg", name: "main", ext: "svg" }],
          },
        }),
      ),
      "assets/icon/images/main.svg": Buffer.from(SVG_AVATAR),
    });
    await page.goto("/characters/import");
    await page.getByTestId("import-input").setInputFiles({
      name: `${word}.charx`,
      mimeType: "application/zip",
      buffer: Buffer.from(charx),
    });
    const result = page.getByTestId("import-result");
    await expect(result).toHaveAttribute("data-ok", "true");
    const imported = ((await result.getByRole("link").getAttribute("href")) ?? "").split("/").at(-1) ?? "";
    expect((await page.request.get(`/api/characters/${imported}/avatar`)).status()).toBe(404);
    await page.goto(`/characters/${imported}`);
    await expect(page.getByTestId("character-page").locator("img")).toHaveCount(0);
    await shows(guard, "character page (CHARX with an SVG icon)", page.getByTestId("character-name"), [
      characterName(second, word),
    ]);
    await guard.check(page, "character page (CHARX with an SVG icon)");

    // A GIF header followed by HTML passes the magic-byte check; it is served so it cannot run.
    expect((await page.request.put(avatarUrl, { data: gifHtmlPolyglot() })).status()).toBe(204);
    const served = await page.request.get(avatarUrl);
    expect(served.headers()["content-type"]).toBe("image/gif");
    expect(served.headers()["x-content-type-options"]).toBe("nosniff");
    expect(served.headers()["content-security-policy"]).toMatch(/sandbox/);
    expect(served.headers()["content-security-policy"]).toMatch(/default-src 'none'/);
    await page.goto(`/characters/${characterId}`);
    await expect(page.getByTestId("character-page").locator(`img[src^="${avatarUrl}"]`)).toHaveCount(1);
    await guard.check(page, "character page (image hiding HTML)");
    const direct = await page.goto(avatarUrl);
    expect(direct?.headers()["content-type"]).toBe("image/gif");
    guard.count("avatar opened directly", 1);
    await guard.check(page, "avatar opened directly");
    guard.report();
    await owner.close();
  });

  test("models and arena: hostile model version names and an arena battle over a hostile character stay inert on the models, routing, arena, battle, leaderboard, chats and feedback pages", async ({
    browser,
  }) => {
    test.setTimeout(300_000);
    const word = `xssarena${stamp()}`;
    const admin = await session(browser, "admin");
    const owner = await session(browser, "hostile");
    await armSimulator(owner.page);
    const contenders = [PAYLOADS[1], PAYLOADS[5]].filter((payload): payload is Payload => payload !== undefined);
    const names = contenders.map((payload) => `${payload.text} ${word}`);

    // The admin adds an endpoint and two versions with hostile names and notes.
    const models = admin.page;
    await models.goto("/admin/models");
    await models.getByTestId("add-endpoint").click();
    await models.getByLabel("Name").fill(word);
    await models.getByLabel("Base URL").fill(`http://127.0.0.1:${SIM_PORT}/v1`);
    await models.getByTestId("save-endpoint").click();
    await expect(models.getByTestId("endpoint-card").filter({ hasText: word })).toContainText("healthy");
    for (const [index, name] of names.entries()) {
      await models.getByTestId("register-model").click();
      await models.getByLabel("Name users see").fill(name);
      await models.locator("#model-endpoint").selectOption(word);
      // One version per served model on an endpoint.
      await models.getByLabel("Served model id").fill(index === 0 ? "troupe-sim/base-7b" : "troupe-sim/lora-aria-v1");
      await models.getByLabel("Notes").fill(contenders[index]?.block ?? "");
      await models.getByTestId("save-model").click();
      await expect(models.getByTestId(`status-${name}`)).toHaveText("registered");
    }
    await models.reload();
    await shows(admin.guard, "models page", models.locator("main"), names);
    await admin.guard.check(models, "models page", [models.locator("main")]);
    await models.goto("/admin/routing");
    await admin.guard.check(models, "routing page", [models.locator("main")]);
    await models.goto("/admin/models");

    const [first] = contenders;
    if (!first) throw new Error("no contenders");
    const characterId = await createCharacter(owner.page, characterName(first, word), { description: first.block });
    const toggle = async (inArena: boolean) => {
      for (const name of names) {
        await models.getByTestId(`arena-${name}`).click();
        await expect(models.getByTestId(`arena-${name}`)).toHaveAttribute("aria-checked", String(inArena));
      }
    };
    // In the arena only for as long as it takes to draw this battle's models, so other tests' arena
    // rounds are not drawn against them.
    await toggle(true);
    const { page, guard } = owner;
    // The arena page lists the account's latest characters (all hostile) while it is open.
    await page.goto("/arena");
    const listed = page.getByTestId("arena-characters").locator("li");
    await expect(listed.first()).toBeVisible();
    for (const character of await listed.all()) {
      const shown = (await character.textContent()) ?? "";
      const payload = PAYLOADS.find((candidate) => shown.includes(`${marker(candidate)} `));
      if (payload) await shows(guard, "arena page", character, [payload.text]);
    }
    expect(guard.tally.get("arena page")).toBeGreaterThan(0);
    await guard.check(page, "arena page", [listed]);
    const start = await page.request.post("/api/arena", { data: { characterId } });
    expect(start.status()).toBe(201);
    const arenaId = (await start.json()).id as string;
    await page.goto(`/arena/${arenaId}`);
    const drawn = page.waitForResponse(
      (response) => response.request().method() === "POST" && response.url().endsWith("/battles"),
    );
    await page.getByTestId("arena-composer").fill(`${first.block}\n${simMarker("reply", first)}`);
    await page.getByTestId("arena-composer").press("Enter");
    expect((await drawn).status()).toBe(201);
    await toggle(false);
    for (const side of ["A", "B"]) {
      await expect(page.getByTestId(`arena-text-${side}`)).toHaveAttribute("data-status", "complete", {
        timeout: 30_000,
      });
      await shows(guard, "arena battle", page.getByTestId(`arena-text-${side}`), [marker(first)]);
    }
    await shows(guard, "arena battle", page.getByTestId("arena-message").first(), [marker(first)]);
    await guard.check(page, "arena battle", [page.getByTestId("arena-text-A"), page.getByTestId("arena-text-B")]);
    await page.getByTestId("vote-A").click();
    await expect(page.getByTestId("round-result")).toContainText("your vote: a");
    // The names are revealed; ours show when they were drawn (another test's arena models may be).
    await page.reload();
    const round = page.getByTestId("round-result");
    await expect(round).toContainText("your vote: a");
    const text = (await round.textContent()) ?? "";
    await shows(
      guard,
      "arena battle (revealed)",
      round,
      names.filter((name) => text.includes(name)),
    );
    await shows(guard, "arena battle (revealed)", page.getByTestId("arena-message").first(), [marker(first)]);
    await guard.check(page, "arena battle (revealed)", [page.getByTestId("arena-message")]);

    await page.goto(`/arena/leaderboard?character=${characterId}`);
    await guard.check(page, "arena leaderboard", [page.locator("main")]);
    await page.goto(`/chats?q=${word}`);
    await shows(guard, "chats list", page.getByTestId("chat-list-item"), [characterName(first, word)]);
    await guard.check(page, "chats list", [page.getByTestId("chat-list-item")]);

    await models.goto("/admin/feedback");
    await shows(admin.guard, "feedback stats", models.getByTestId("stats-by-character"), [characterName(first, word)]);
    await admin.guard.check(models, "feedback stats", [models.locator("main")]);
    await models.goto(`/admin/users?q=${encodeURIComponent(HOSTILE_ACCOUNT.email)}`);
    await shows(admin.guard, "users page", models.getByTestId("users-table"), [HOSTILE_ACCOUNT.name]);
    await admin.guard.check(models, "users page", [models.getByTestId("users-table")]);
    owner.guard.report();
    admin.guard.report();
    await owner.close();
    await admin.close();
  });

  test("generate from persona: a model's hostile profile fills the editor and the prompt preview, and saves, inert", async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const owner = await session(browser, "hostile");
    const { page, guard } = owner;
    await armSimulator(page);
    for (const payload of PAYLOADS.slice(0, 6)) {
      await page.goto("/characters/new");
      await page.getByTestId("persona-input").fill(`a lighthouse keeper ${simMarker("profile", payload)}`);
      await page.getByTestId("persona-generate").click();
      const name = payload.text.slice(0, 80);
      await expect(page.getByTestId("field-name")).toHaveValue(name, { timeout: 30_000 });
      await expect(page.getByTestId("field-occupation")).toHaveValue(payload.text);
      await expect(page.getByTestId("field-appearance")).toHaveValue(payload.block);
      guard.count("editor (generated profile)", 3);
      await shows(guard, "prompt preview (generated profile)", page.getByTestId("prompt-preview"), [
        name,
        payload.block,
      ]);
      await guard.check(page, "editor (generated profile)", [page.getByTestId("prompt-preview")]);
      await page.getByTestId("save-character").click();
      await expect(page.getByTestId("character-page")).toBeVisible();
      await shows(guard, "character page (generated profile)", page.getByTestId("character-name"), [name]);
      await guard.check(page, "character page (generated profile)", [
        page.getByTestId("character-page").locator("section"),
      ]);
    }
    guard.report();
    await owner.close();
  });

  test("the guard fails on script that runs, a dialog, and markup that could run later (so the suite can fail)", async ({
    browser,
  }) => {
    const cases = [
      ["a sink call", "<img src=x onerror=__xss(1)>"],
      ["a dialog", "<img src=x onerror=alert(1)>"],
      ["a handler that runs on hover", "<b onmouseover=__xss(2)>hover me</b>"],
      ["a javascript: link", '<a href="javascript:void 0">click me</a>'],
      ["a handler that never ran", '<p ondblclick="void 0">text</p>'],
      ["a frame", '<iframe srcdoc="<p>text</p>"></iframe>'],
      ["an injected script", "<script>void '__xss'</script>"],
    ];
    for (const [what, html] of cases) {
      const context = await browser.newContext({ bypassCSP: true });
      const guard = await XssGuard.attach(context);
      const page = await guard.page();
      await page.setContent(`<main>${html}</main>`);
      await expect(guard.check(page, what ?? "", [page.locator("main")]), what).rejects.toThrow();
      await context.close();
    }
  });
});
