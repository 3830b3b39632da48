import { expect, test } from "@playwright/test";
import pg from "pg";
import { APP_PORTS } from "../playwright.config";
import { createCharacter } from "./fixtures/characters";
import { testUser } from "./fixtures/users";
import { AuthPage } from "./pages/auth";
import { ChatPage } from "./pages/chat";

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

test.describe("chat", () => {
  test("send and stream a reply; reload keeps everything", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const characterId = await createCharacter(page, "Chatty Cora", { alternateGreetings: ["*Cora waves.* Hi again."] });
    const chat = new ChatPage(page);
    await chat.startWith(characterId);
    await expect(chat.messages()).toHaveCount(1);
    await expect(chat.last()).toContainText("Hello, Alice.");
    await expect(chat.last().getByTestId("swipe-position")).toHaveText("1/2");

    await chat.send("What brings you to the harbor?");
    await chat.waitForReply();
    await expect(chat.messages()).toHaveCount(3);
    const reply = await chat.last().getByTestId("message-text").innerText();
    expect(reply.length).toBeGreaterThan(0);
    await page.reload();
    await expect(chat.messages()).toHaveCount(3);
    await expect(chat.last().getByTestId("message-text")).toHaveText(reply);
  });

  test("stop mid-stream keeps the partial reply, marked stopped", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const chat = new ChatPage(page);
    await chat.startWith(await createCharacter(page, "Slow Sal"));
    await chat.send("Tell me a long story [sim:slow@150]");
    await expect(chat.last()).toHaveAttribute("data-status", "streaming");
    await expect(chat.last().getByTestId("message-text")).not.toBeEmpty();
    await page.getByTestId("stop").click();
    await chat.waitForReply("stopped");
    await expect(chat.last().getByTestId("message-note")).toHaveText("Stopped");
    const partial = await chat.last().getByTestId("message-text").innerText();
    await page.reload();
    await expect(chat.last()).toHaveAttribute("data-status", "stopped");
    // Tokens already in flight when Stop was pressed may be saved too; nothing shown is lost.
    // Compare the words: markdown renders an unclosed *action* differently once it closes.
    const words = (text: string) =>
      text
        .replace(/[*_"“”]/g, "")
        .replace(/\s+/g, " ")
        .trim();
    const saved = words(await chat.last().getByTestId("message-text").innerText());
    expect(saved.startsWith(words(partial))).toBe(true);
    expect(saved.length).toBeGreaterThan(0);
  });

  test("swipe to a new reply, page back, and continuing records the choice", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const chat = new ChatPage(page);
    const conversationId = await chat.startWith(await createCharacter(page, "Swipe Sky"));
    await chat.send("Pick a color.");
    await chat.waitForReply();
    const first = await chat.last().getAttribute("data-message-id");
    const firstText = await chat.last().getByTestId("message-text").textContent();
    await chat.last().getByTestId("swipe-next").click();
    await expect(chat.last().getByTestId("swipe-position")).toHaveText("2/2");
    await chat.waitForReply();
    expect(await chat.last().getAttribute("data-message-id")).not.toBe(first);
    // Each swipe is sampled with its own seed, so the simulator writes a different reply.
    expect(await chat.last().getByTestId("message-text").textContent()).not.toBe(firstText);
    await page.getByTestId("composer").focus();
    await page.keyboard.press("ArrowLeft");
    await expect(chat.last().getByTestId("swipe-position")).toHaveText("1/2");
    await expect(chat.last()).toHaveAttribute("data-message-id", first ?? "");

    await chat.send("Good choice.");
    await chat.waitForReply();
    await expect(chat.messages()).toHaveCount(5);
    const choices = await query<{ chosenId: string; shownIds: string[] }>(
      'SELECT "chosenId", "shownIds" FROM "SwipeChoice" WHERE "conversationId" = $1',
      [conversationId],
    );
    expect(choices).toHaveLength(1);
    expect(choices[0]?.shownIds).toHaveLength(1);
  });

  test("editing a user message makes a branch; the original stays reachable", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const chat = new ChatPage(page);
    await chat.startWith(await createCharacter(page, "Branch Bram"));
    await chat.send("First question");
    await chat.waitForReply();
    const userMessage = chat.messages().nth(1);
    await userMessage.hover();
    await userMessage.getByTestId("edit-message").click();
    await page.getByTestId("edit-textarea").fill("A better question");
    await page.getByTestId("edit-save").click();
    await chat.waitForReply();
    await expect(chat.messages().nth(1)).toContainText("A better question");
    await expect(chat.messages().nth(1).getByTestId("swipe-position")).toHaveText("2/2");
    await chat.messages().nth(1).getByTestId("swipe-prev").click();
    await expect(chat.messages().nth(1)).toContainText("First question");
    await expect(chat.messages()).toHaveCount(3);
  });

  test("editing a reply keeps the original as a sibling", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const chat = new ChatPage(page);
    await chat.startWith(await createCharacter(page, "Edit Eda"));
    await chat.send("Say something.");
    await chat.waitForReply();
    const original = await chat.last().getAttribute("data-message-id");
    await chat.last().hover();
    await chat.last().getByTestId("edit-message").click();
    await page.getByTestId("edit-textarea").fill('*smiles* "A corrected reply."');
    await page.getByTestId("edit-save").click();
    const text = chat.last().getByTestId("message-text");
    await expect(text).toHaveText('smiles "A corrected reply."');
    // Role-play rendering: the action in italics, the speech highlighted.
    await expect(text.locator("em")).toHaveText("smiles");
    await expect(text.locator(".rp-quote")).toHaveText('"A corrected reply."');
    await expect(chat.last().getByTestId("swipe-position")).toHaveText("2/2");
    await chat.last().getByTestId("swipe-prev").click();
    await expect(chat.last()).toHaveAttribute("data-message-id", original ?? "");
  });

  for (const [name, directive, expected] of [
    ["an upstream 500", "[sim:http_500]", /model server failed \(HTTP 500\)/],
    ["an error inside the stream", "[sim:stream_error@3]", /failed while writing the reply/],
    ["a hung stream", "[sim:hang@2]", /stopped sending text/],
  ] as const) {
    test(`${name} shows an inline error with Retry and keeps the user's message`, async ({ page }) => {
      await new AuthPage(page).signInAs(testUser("bob"));
      const chat = new ChatPage(page);
      await chat.startWith(await createCharacter(page, `Faulty ${name}`));
      const text = `Please answer ${directive}`;
      await chat.send(text);
      await chat.waitForReply("failed");
      await expect(chat.last().getByTestId("message-error")).toContainText(expected);
      await expect(chat.messages().nth(1)).toContainText("Please answer");
      await page.reload();
      await expect(chat.messages().nth(1)).toContainText("Please answer");
      await expect(chat.last()).toHaveAttribute("data-status", "failed");
      await chat.last().getByTestId("retry").click();
      // The directive is still in the user's message, so the retry fails the same way — but it ran.
      await chat.waitForReply("failed");
    });
  }

  test("a double submit stores the message once", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const chat = new ChatPage(page);
    const id = await chat.startWith(await createCharacter(page, "Twice Tove"));
    const body = { content: "Only once", clientRequestId: "fixed-request-id-123" };
    const [a, b] = await Promise.all([
      page.request.post(`/api/chat/${id}/messages`, { data: body }),
      page.request.post(`/api/chat/${id}/messages`, { data: body }),
    ]);
    expect([a.status(), b.status()].sort()).toEqual([200, 409]);
    const state = await (await page.request.get(`/api/chat/${id}`)).json();
    expect(state.messages.filter((message: { content: string }) => message.content === "Only once")).toHaveLength(1);
  });

  test("another user cannot read or post to my chat", async ({ page, browser }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const chat = new ChatPage(page);
    const id = await chat.startWith(await createCharacter(page, "Private Pim"));
    const bob = await browser.newPage();
    await new AuthPage(bob).signInAs(testUser("bob"));
    expect((await bob.goto(`/chat/${id}`))?.status()).toBe(404);
    expect((await bob.request.get(`/api/chat/${id}`)).status()).toBe(404);
    const post = await bob.request.post(`/api/chat/${id}/messages`, {
      data: { content: "hi", clientRequestId: "bob-request-0001" },
    });
    expect(post.status()).toBe(404);
    const anonymous = await bob.context().browser()?.newContext();
    const response = await anonymous?.request.get(`http://127.0.0.1:${APP_PORTS.connected}/api/chat/${id}`);
    expect(response?.status()).toBe(401);
  });
});
