import { readFile } from "node:fs/promises";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { createCharacter } from "./fixtures/characters";
import { TEST_PASSWORD, testUser } from "./fixtures/users";
import { AuthPage } from "./pages/auth";
import { ChatPage } from "./pages/chat";

const stamp = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function asAdmin(browser: Browser): Promise<Page> {
  const admin = await browser.newPage();
  await new AuthPage(admin).signInAs(testUser("admin"));
  return admin;
}

test.describe("curation and datasets", () => {
  test("feedback becomes checked samples; bulk approve with undo; a version exports them until the user withdraws consent", async ({
    page,
    browser,
  }) => {
    // The checks run behind whatever other tests queued (synthesis jobs' samples are judged too).
    test.setTimeout(240_000);
    // A fresh contributor, so withdrawing consent here cannot touch other tests' data.
    const word = `curate${stamp()}`;
    await new AuthPage(page).signUp("Cora Contributor", `cora-${word}@example.com`, TEST_PASSWORD);
    expect((await page.request.put("/api/me/consent", { data: { trainingConsent: true } })).status()).toBe(200);
    const chat = new ChatPage(page);
    await chat.startWith(await createCharacter(page, `Curated ${word}`));
    await chat.send(`Tell me about the harbour ${word}.`);
    await chat.waitForReply();
    await chat.last().getByTestId("thumbs-up").click();
    await expect(chat.last().getByTestId("thumbs-up")).toHaveAttribute("aria-pressed", "true");
    const edited = `The harbour wakes at dawn, ${word}, and the gulls know it first.`;
    await chat.last().hover();
    await chat.last().getByTestId("edit-message").click();
    await page.getByTestId("edit-textarea").fill(edited);
    await page.getByTestId("edit-save").click();
    await expect(chat.last()).toContainText(edited);

    // The thumb (KTO), the edit pair and the edit's SFT row are checked by the worker, then wait for review.
    const admin = await asAdmin(browser);
    await expect(async () => {
      await admin.goto(`/admin/curation?q=${word}`);
      await expect(admin.getByTestId("queue-count")).toHaveText("3 matching sample(s)", { timeout: 1000 });
    }).toPass({ timeout: 150_000 });

    await admin.getByTestId("bulk-preview").click();
    await expect(admin.getByTestId("bulk-confirm")).toContainText("Approve 3 sample(s) matching this filter?");
    await admin.getByTestId("bulk-apply").click();
    await expect(admin.getByTestId("bulk-result")).toContainText("Approved 3 sample(s).");
    await expect(admin.getByTestId("queue-row")).toHaveCount(0);
    await admin.getByTestId("bulk-result").getByTestId("bulk-undo").click();
    await expect(admin.getByTestId("toast").filter({ hasText: "Undone: 3 sample(s)" })).toBeVisible();
    await expect(admin.getByTestId("queue-row")).toHaveCount(3);
    await admin.getByTestId("bulk-preview").click();
    await admin.getByTestId("bulk-apply").click();
    await expect(admin.getByTestId("bulk-result")).toContainText("Approved 3 sample(s).");

    await admin.goto("/admin/datasets");
    const name = `e2e ${word}`;
    await admin.getByLabel("Name").fill(name);
    await admin.getByLabel("Words").fill(word);
    await admin.getByLabel("Validation share").fill("0");
    await admin.getByTestId("dataset-preview").click();
    await expect(admin.getByTestId("dataset-count")).toContainText("3 approved sample(s) match");
    await admin.getByTestId("dataset-create").click();
    await expect(admin).toHaveURL(/\/admin\/datasets\/[^/]+$/);
    await expect(admin.getByTestId("dataset-version")).toContainText("3 samples");
    await expect(admin.getByTestId("dataset-card")).toContainText("3 rows come from 1 users' feedback");

    const [download] = await Promise.all([
      admin.waitForEvent("download"),
      admin.getByTestId("download-trl-dpo").click(),
    ]);
    const pairs = (await readFile((await download.path()) as string, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(pairs).toHaveLength(1);
    expect(pairs[0].chosen).toEqual([{ role: "assistant", content: edited }]);
    const versionUrl = admin.url();
    const exportUrl = `${versionUrl.replace("/admin/datasets/", "/api/admin/datasets/")}/export`;
    const sft = await (await admin.request.get(`${exportUrl}?format=openai-sft`)).text();
    expect(JSON.parse(sft.trim()).messages.at(-1)).toEqual({ role: "assistant", content: edited });
    const bundle = await admin.request.get(
      `${versionUrl.replace("/admin/datasets/", "/api/admin/datasets/")}/bundle?format=trl-sft`,
    );
    expect(bundle.status()).toBe(200);
    expect((await bundle.body()).subarray(0, 2).toString()).toBe("PK");

    // Withdrawing consent erases the contributor's rows: the version keeps its count and says how many went.
    expect((await page.request.put("/api/me/consent", { data: { trainingConsent: false } })).status()).toBe(200);
    for (const format of ["trl-dpo", "trl-kto", "openai-sft", "sharegpt"]) {
      const response = await admin.request.get(`${exportUrl}?format=${format}`);
      expect(response.status()).toBe(200);
      expect(await response.text()).toBe("");
    }
    await admin.goto(versionUrl);
    await expect(admin.getByTestId("dataset-redacted")).toContainText("3 sample(s) were erased");
    await admin.close();
  });

  test("a user offers a chat as training data; without consent the offer is refused and nothing is stored", async ({
    page,
    browser,
  }) => {
    test.setTimeout(210_000);
    const word = `offer${stamp()}`;
    await new AuthPage(page).signUp("Otto Offerer", `otto-${word}@example.com`, TEST_PASSWORD);
    const chat = new ChatPage(page);
    await chat.startWith(await createCharacter(page, `Offered ${word}`));
    await chat.send(`Tell me a story about ${word}.`);
    await chat.waitForReply();
    await page.getByTestId("offer-chat").click();
    await expect(page.getByTestId("toast").filter({ hasText: "Not offered" })).toContainText("Settings");

    expect((await page.request.put("/api/me/consent", { data: { trainingConsent: true } })).status()).toBe(200);
    await page.getByTestId("offer-chat").click();
    await expect(page.getByTestId("toast").filter({ hasText: "Offered for training" })).toBeVisible();

    const admin = await asAdmin(browser);
    await expect(async () => {
      await admin.goto(`/admin/curation?source=CHAT&q=${word}`);
      await expect(admin.getByTestId("queue-row")).toHaveCount(1, { timeout: 1000 });
    }).toPass({ timeout: 150_000 });
    await expect(admin.getByTestId("queue-row")).toContainText("chat");
    await admin.close();
  });

  test("non-admins get 403 on every curation and dataset page and endpoint; anonymous callers 401", async ({
    page,
    playwright,
  }) => {
    // A fresh account: another spec briefly makes bob an admin.
    await new AuthPage(page).signUp("Nico Nonadmin", `nonadmin-${stamp()}@example.com`, TEST_PASSWORD);
    for (const path of [
      "/admin/curation",
      "/admin/curation/activity",
      "/admin/curation/some-sample",
      "/admin/datasets",
      "/admin/datasets/some-version",
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
    }
    const endpoints = [
      "/api/admin/datasets/some-version/export?format=trl-sft",
      "/api/admin/datasets/some-version/card",
      "/api/admin/datasets/some-version/bundle?format=trl-sft",
    ];
    for (const path of endpoints) expect((await page.request.get(path)).status(), path).toBe(403);
    const anonymous = await playwright.request.newContext({ baseURL: new URL(page.url()).origin });
    for (const path of endpoints) expect((await anonymous.get(path)).status(), path).toBe(401);
    await anonymous.dispose();
  });

  test("an admin gets a 404 for a dataset version that does not exist and a 400 for an unknown format", async ({
    browser,
  }) => {
    const admin = await asAdmin(browser);
    expect((await admin.request.get("/api/admin/datasets/nope/export?format=trl-sft")).status()).toBe(404);
    expect((await admin.request.get("/api/admin/datasets/nope/export?format=alpaca")).status()).toBe(400);
    expect((await admin.goto("/admin/datasets/nope"))?.status()).toBe(404);
    await admin.close();
  });
});
