import { expect, test } from "@playwright/test";
import { APP_PORTS } from "../playwright.config";
import { testUser } from "./fixtures/users";
import { AuthPage } from "./pages/auth";
import { ChatPage } from "./pages/chat";

test.use({ baseURL: `http://127.0.0.1:${APP_PORTS.localModel}` });

test("a chat streams through the local CPU engine (tiny GGUF) on the same chat route", async ({ page }) => {
  test.setTimeout(60_000);
  await new AuthPage(page).signInAs(testUser("alice"));
  const created = await page.request.post("/api/characters", {
    data: { profile: { name: `Local Lin ${Date.now()}`, greeting: "Hi." }, tags: [], visibility: "PRIVATE" },
  });
  expect(created.status()).toBe(201);
  const chat = new ChatPage(page);
  await chat.startWith((await created.json()).id);
  await expect(page.getByTestId("chat-subtitle")).toContainText("tiny-chatml");
  // The settings dialog caps the reply, so the random model stops by length.
  await page.getByTestId("chat-settings").click();
  await page.getByTestId("sampling-max_tokens").fill("24");
  await page.getByTestId("save-chat-settings").click();
  await expect(page.getByTestId("toast").filter({ hasText: "Chat settings saved" })).toBeVisible();
  await chat.send("Hello, local model.");
  await chat.waitForReply();
  await expect(chat.last().getByTestId("message-text")).not.toBeEmpty();
  const health = await (await page.request.get("/api/health")).json();
  expect(health.model).toMatchObject({ status: "ok" });
});
