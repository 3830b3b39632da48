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
    await expect(page.getByText("version 1")).toBeVisible();

    await page.getByTestId("edit-character").click();
    await editor.tab("Identity").click();
    await editor.field("age").fill("44");
    await editor.save();
    await expect(page.getByText("version 2")).toBeVisible();
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
