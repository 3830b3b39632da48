import { expect, test } from "@playwright/test";
import { testUser } from "./fixtures/users";
import { AuthPage } from "./pages/auth";
import { CharacterEditorPage } from "./pages/characters";

test.describe("characters", () => {
  test("create a character with a live prompt preview, then edit it into version 2", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const editor = new CharacterEditorPage(page);
    await editor.gotoNew();
    await editor.save();
    await expect(page.locator("#name-error")).toHaveText("Every character needs a name.");

    await editor.field("name").fill("Captain Wren");
    await editor.tab("Knowledge").click();
    await editor.field("description").fill("{{char}} sails with {{user}} across the Glass Sea.");
    await expect(editor.preview()).toContainText("Captain Wren sails with Alice across the Glass Sea.");
    await expect(page.getByTestId("token-estimate")).toContainText("tokens");
    await editor.tab("Chat").click();
    await editor.field("creatorNotes").fill("notes for humans only");
    await expect(editor.preview()).not.toContainText("notes for humans only");
    await editor.save();
    await expect(page.getByTestId("character-name")).toHaveText("Captain Wren");
    await expect(page.getByTestId("character-page")).toContainText("version 1 ·");

    await page.getByTestId("edit-character").click();
    await editor.tab("Identity").click();
    await editor.field("age").fill("44");
    await editor.save();
    await expect(page.getByTestId("character-page")).toContainText("version 2 ·");
    await page.getByTestId("versions-link").click();
    await expect(page.getByTestId("version-list").locator("li")).toHaveCount(2);
    await expect(page.getByTestId("version-diff")).toContainText("age");
  });

  test("generate a profile from a persona against the simulator, review, then save", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const editor = new CharacterEditorPage(page);
    await editor.gotoNew();
    await page.getByTestId("persona-input").fill("a retired lighthouse keeper who collects sea glass");
    await page.getByTestId("persona-generate").click();
    await expect(page.getByTestId("toast").filter({ hasText: "Profile generated" })).toBeVisible();
    const name = await editor.field("name").inputValue();
    expect(name.length).toBeGreaterThan(0);
    // Nothing is saved until the user saves.
    const mine = await (await page.request.get(`/api/characters?q=${encodeURIComponent(name)}`)).json();
    expect(mine.total).toBe(0);
    await editor.save();
    await expect(page.getByTestId("character-name")).toHaveText(name);
  });

  test("visibility: private is 404 to others, unlisted readable by link, public listed; only owners edit", async ({
    browser,
  }) => {
    // Four signed-in browsers in one test: slow on a busy two-core machine.
    test.setTimeout(60_000);
    const alice = await browser.newPage();
    await new AuthPage(alice).signInAs(testUser("alice"));
    const editor = new CharacterEditorPage(alice);
    const privateId = await editor.create({ name: "Secret Sable", visibility: "PRIVATE" });
    const unlistedId = await editor.create({ name: "Link-only Linden", visibility: "UNLISTED" });
    const publicId = await editor.create({ name: "Open Oriel", visibility: "PUBLIC", tags: "harbor, music" });

    const bob = await browser.newPage();
    await new AuthPage(bob).signInAs(testUser("bob"));
    const hidden = await bob.goto(`/characters/${privateId}`);
    expect(hidden?.status()).toBe(404);
    expect((await bob.request.get(`/api/characters/${privateId}`)).status()).toBe(404);

    await bob.goto(`/characters/${unlistedId}`);
    await expect(bob.getByTestId("character-name")).toHaveText("Link-only Linden");
    await expect(bob.getByTestId("edit-character")).toHaveCount(0);
    expect((await bob.goto(`/characters/${unlistedId}/edit`))?.status()).toBe(403);
    await expect(bob.getByTestId("edit-forbidden")).toContainText("Only the owner can edit this character");
    const put = await bob.request.put(`/api/characters/${unlistedId}`, {
      data: { profile: { name: "Hijacked" }, tags: [], visibility: "PUBLIC" },
    });
    expect(put.status()).toBe(403);

    await bob.goto("/characters/explore?q=oriel");
    await expect(bob.getByTestId("character-tile-name")).toHaveText(["Open Oriel"]);
    await bob.goto("/characters/explore?q=linden");
    await expect(bob.getByTestId("character-tile")).toHaveCount(0);

    await bob.goto(`/characters/${publicId}`);
    await bob.getByTestId("fork-character").click();
    await expect(bob.getByTestId("forked-from")).toHaveText("Open Oriel");
    await expect(bob.getByTestId("edit-character")).toBeVisible();
  });

  test("hostile card text is shown as text, never as HTML", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    let alerted = false;
    page.on("dialog", async (dialog) => {
      alerted = true;
      await dialog.dismiss();
    });
    const editor = new CharacterEditorPage(page);
    await editor.create({ name: '<img src=x onerror="alert(1)">', description: "<script>alert(2)</script> **bold**" });
    await expect(page.getByTestId("character-name")).toHaveText('<img src=x onerror="alert(1)">');
    await expect(page.getByText("<script>alert(2)</script> **bold**")).toBeVisible();
    expect(alerted).toBe(false);
  });
});

test.describe("character cards", () => {
  test("bulk import: a PNG card and a broken card in one go; one imported, one reported", async ({ page }) => {
    // A PNG card as another user's Troupe exports it.
    const maker = await page.context().browser()?.newPage();
    if (!maker) throw new Error("no browser");
    await new AuthPage(maker).signInAs(testUser("bob"));
    const created = await maker.request.post("/api/characters", {
      data: { profile: { name: "Pixel Piper", description: "Plays a tin whistle." }, tags: ["music"] },
    });
    const { id } = await created.json();
    const png = await (await maker.request.get(`/api/characters/${id}/export?format=png`)).body();
    await maker.close();
    await new AuthPage(page).signInAs(testUser("alice"));
    await page.goto("/characters/import");
    await page.getByTestId("import-input").setInputFiles([
      { name: "piper.png", mimeType: "image/png", buffer: Buffer.from(png) },
      { name: "broken.json", mimeType: "application/json", buffer: Buffer.from('{"spec": "chara_card_v2", "data": ') },
    ]);
    const results = page.getByTestId("import-result");
    await expect(results).toHaveCount(2);
    await expect(results.nth(0)).toHaveAttribute("data-ok", "true");
    await expect(results.nth(0)).toContainText("Imported Pixel Piper");
    await expect(results.nth(1)).toHaveAttribute("data-ok", "false");
    await expect(results.nth(1)).toContainText("broken.json");
    await results.nth(0).getByRole("link", { name: "Open Pixel Piper" }).click();
    await expect(page.getByTestId("character-name")).toHaveText("Pixel Piper");
  });

  test("export a PNG card and import it back unchanged", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("alice"));
    const id = await new CharacterEditorPage(page).create({
      name: "Round Trip Rook",
      description: "Keeps ravens.",
      tags: "birds",
    });
    await page.getByTestId("export-menu").click();
    const downloadPromise = page.waitForEvent("download");
    await page.getByTestId("export-png").click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe("Round Trip Rook.png");
    const path = await download.path();

    await page.goto("/characters/import");
    await page.getByTestId("import-input").setInputFiles(path);
    await expect(page.getByTestId("import-result")).toContainText("Imported Round Trip Rook (png-v3)");
    const mine = await (await page.request.get("/api/characters?q=round%20trip%20rook")).json();
    expect(mine.total).toBe(2);
    const [a, b] = await Promise.all(
      mine.items.map(async (item: { id: string }) => (await page.request.get(`/api/characters/${item.id}`)).json()),
    );
    expect(a.profile).toEqual(b.profile);
    expect(a.tags).toEqual(b.tags);
    expect([a.id, b.id]).toContain(id);
  });

  test("API import with only bad files answers 422 with a reason per file", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("bob"));
    const response = await page.request.post("/api/characters/import", {
      multipart: { files: { name: "nope.txt", mimeType: "text/plain", buffer: Buffer.from("hello") } },
    });
    expect(response.status()).toBe(422);
    const body = await response.json();
    expect(body.results[0]).toMatchObject({ ok: false, fileName: "nope.txt" });
    expect(body.results[0].error.message).toMatch(/not a character card/);
  });
});
