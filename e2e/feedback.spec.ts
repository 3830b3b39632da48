import { expect, type Page, test } from "@playwright/test";
import { APP_PORTS, SIM_PORT } from "../playwright.config";
import { createCharacter } from "./fixtures/characters";
import { testUser } from "./fixtures/users";
import { AuthPage } from "./pages/auth";
import { ChatPage } from "./pages/chat";

const stamp = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function setConsent(page: Page, trainingConsent: boolean) {
  expect((await page.request.put("/api/me/consent", { data: { trainingConsent } })).status()).toBe(200);
}

/** An admin's export, as text. */
async function exportAs(browser: import("@playwright/test").Browser, format: string): Promise<string> {
  const admin = await browser.newPage();
  await new AuthPage(admin).signInAs(testUser("admin"));
  const response = await admin.request.get(`/api/admin/feedback/export?format=${format}`);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("ndjson");
  const text = await response.text();
  await admin.close();
  return text;
}

test.describe("feedback", () => {
  test("a rating with reasons persists, and only consenting users' feedback reaches the exports", async ({
    page,
    browser,
  }) => {
    // Four sign-ins and two chats: ~45 s on a busy 2-core machine.
    test.setTimeout(90_000);
    const alice = page;
    await new AuthPage(alice).signInAs(testUser("alice"));
    await setConsent(alice, true);
    const aliceWords = `alice-kto-${stamp()}`;
    const chat = new ChatPage(alice);
    await chat.startWith(await createCharacter(alice, `Rated ${stamp()}`));
    await chat.send(aliceWords);
    await chat.waitForReply();
    await chat.last().getByTestId("thumbs-down").click();
    await chat.last().getByRole("button", { name: "Repetitive" }).click();
    await chat.last().getByLabel("Comment").fill("It loops.");
    await chat.last().getByTestId("save-rating").click();
    await expect(chat.last().getByTestId("rating-details")).toHaveCount(0);
    await alice.reload();
    await expect(chat.last().getByTestId("thumbs-down")).toHaveAttribute("aria-pressed", "true");

    const bob = await browser.newPage();
    await new AuthPage(bob).signInAs(testUser("bob"));
    await setConsent(bob, false);
    const bobWords = `bob-private-${stamp()}`;
    const bobChat = new ChatPage(bob);
    await bobChat.startWith(await createCharacter(bob, `Bob's ${stamp()}`));
    await bobChat.send(bobWords);
    await bobChat.waitForReply();
    await bobChat.last().getByTestId("thumbs-up").click();
    await expect(bobChat.last().getByTestId("rating-details")).toBeVisible();

    const kto = await exportAs(browser, "trl-kto");
    expect(kto).toContain(aliceWords);
    expect(kto).not.toContain(bobWords);
    const row = kto
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .find((candidate) => JSON.stringify(candidate.prompt).includes(aliceWords));
    expect(row).toMatchObject({ label: false, completion: [{ role: "assistant" }] });
    // Not even the raw event log exports bob's thumb; alice's is there.
    const events = await exportAs(browser, "events");
    expect(events).toContain(aliceWords);
    expect(events).not.toContain(bobWords);
  });

  test("swiping and continuing, and editing a reply, each yield a preference pair", async ({ page, browser }) => {
    test.setTimeout(90_000);
    await new AuthPage(page).signInAs(testUser("alice"));
    await setConsent(page, true);
    const chat = new ChatPage(page);
    await chat.startWith(await createCharacter(page, `Swiped ${stamp()}`));
    const words = `swipe-${stamp()}`;
    await chat.send(words);
    await chat.waitForReply();
    await chat.last().getByTestId("swipe-next").click();
    await expect(chat.last().getByTestId("swipe-position")).toHaveText("2/2");
    await chat.waitForReply();
    await chat.last().getByTestId("swipe-prev").click();
    await expect(chat.last().getByTestId("swipe-position")).toHaveText("1/2");
    await chat.send("I keep the first one.");
    await chat.waitForReply();

    const edited = `edited-${stamp()}`;
    await chat.last().hover();
    await chat.last().getByTestId("edit-message").click();
    await page.getByTestId("edit-textarea").fill(edited);
    await page.getByTestId("edit-save").click();
    await expect(chat.last()).toContainText(edited);

    await expect(async () => {
      const pairs = (await exportAs(browser, "trl-dpo"))
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      const swipe = pairs.find(
        (pair) => JSON.stringify(pair.prompt).includes(words) && !JSON.stringify(pair).includes(edited),
      );
      expect(swipe).toBeDefined();
      const edit = pairs.find((pair) => pair.chosen[0].content === edited);
      expect(edit?.rejected[0].content).not.toBe(edited);
      // Each try signs an admin in and downloads the whole export: seconds apiece in a full run.
    }).toPass({ timeout: 30_000 });
    const openai = await exportAs(browser, "openai-dpo");
    expect(openai).toContain(`"preferred_output":[{"role":"assistant","content":"${edited}"}]`);
  });

  test("users cannot rate messages they cannot see", async ({ page, browser }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const chat = new ChatPage(page);
    const conversationId = await chat.startWith(await createCharacter(page, `Private ${stamp()}`));
    await chat.send("Only mine");
    await chat.waitForReply();
    const state = await (await page.request.get(`/api/chat/${conversationId}`)).json();
    const reply = state.messages.at(-1);
    const bob = await browser.newPage();
    await new AuthPage(bob).signInAs(testUser("bob"));
    const response = await bob.request.post(`/api/chat/${conversationId}/rate`, {
      data: { messageId: reply.id, value: -1 },
    });
    expect(response.status()).toBe(404);
    const anonymous = await (await browser.newContext()).request.post(
      `http://127.0.0.1:${APP_PORTS.connected}/api/chat/${conversationId}/rate`,
      { data: { messageId: reply.id, value: -1 } },
    );
    expect(anonymous.status()).toBe(401);
    const invalid = await page.request.post(`/api/chat/${conversationId}/rate`, {
      data: { messageId: reply.id, value: 5 },
    });
    expect(invalid.status()).toBe(400);
  });

  test("an arena vote reveals the names, continues from the pick and moves the leaderboard", async ({
    page,
    browser,
  }) => {
    test.setTimeout(60_000);
    // The admin puts two versions (on an endpoint of their own) in the arena.
    const admin = await browser.newPage();
    await new AuthPage(admin).signInAs(testUser("admin"));
    await admin.goto("/admin/models");
    const endpoint = `arena-${stamp()}`;
    await admin.getByTestId("add-endpoint").click();
    await admin.getByLabel("Name").fill(endpoint);
    await admin.getByLabel("Base URL").fill(`http://127.0.0.1:${SIM_PORT}/v1`);
    await admin.getByTestId("save-endpoint").click();
    await expect(
      admin.getByTestId("endpoint-card").filter({ has: admin.getByRole("heading", { name: endpoint }) }),
    ).toContainText("healthy");
    const names: string[] = [];
    for (const served of ["troupe-sim/base-7b", "troupe-sim/lora-aria-v1"]) {
      const name = `Arena ${served.split("/")[1]} ${endpoint}`;
      names.push(name);
      await admin.getByTestId("register-model").click();
      await admin.getByLabel("Name users see").fill(name);
      await admin.locator("#model-endpoint").selectOption(endpoint);
      await admin.getByLabel("Served model id").fill(served);
      await admin.getByTestId("save-model").click();
      await expect(admin.getByTestId(`status-${name}`)).toHaveText("registered");
      await admin.getByTestId(`arena-${name}`).click();
      await expect(admin.getByTestId(`arena-${name}`)).toHaveAttribute("aria-checked", "true");
    }

    await new AuthPage(page).signInAs(testUser("alice"));
    const characterId = await createCharacter(page, `Arena ${stamp()}`);
    await page.goto("/arena");
    await page
      .getByTestId("arena-characters")
      .locator("li")
      .filter({ has: page.locator(`a, span`) })
      .first()
      .waitFor();
    const startResponse = await page.request.post("/api/arena", { data: { characterId } });
    expect(startResponse.status()).toBe(201);
    const arenaId = (await startResponse.json()).id as string;
    await page.goto(`/arena/${arenaId}`);
    await page.getByTestId("arena-composer").fill("Which of you is better?");
    await page.getByTestId("arena-composer").press("Enter");
    for (const side of ["A", "B"]) {
      await expect(page.getByTestId(`arena-text-${side}`)).toHaveAttribute("data-status", "complete", {
        timeout: 15_000,
      });
    }
    // Blind: no model name on the page or in the arena API before the vote, and the chat API
    // (which would show model ids) refuses arena chats.
    const before = `${await page.content()}${await (await page.request.get(`/api/arena/${arenaId}`)).text()}`;
    for (const name of names) expect(before).not.toContain(name);
    expect(before).not.toContain("troupe-sim/");
    expect((await page.request.get(`/api/chat/${arenaId}`)).status()).toBe(400);
    await page.getByTestId("vote-A").click();
    await expect(page.getByTestId("round-result")).toContainText("your vote: a");
    const revealed = await page.getByTestId("round-result").innerText();
    expect(names.some((name) => revealed.includes(name))).toBe(true);
    await expect(page.getByTestId("arena-composer")).toBeEnabled();

    await page.goto("/arena/leaderboard");
    const rows = page.getByTestId("leaderboard-row");
    for (const name of names.filter((candidate) => revealed.includes(candidate))) {
      await expect(rows.filter({ hasText: name })).toHaveCount(1);
    }
  });
});
