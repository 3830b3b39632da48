import { expect, test } from "@playwright/test";
import { AuthPage } from "./pages/auth";

test.describe("settings", () => {
  test("training consent toggles and persists across reloads", async ({ page }) => {
    const auth = new AuthPage(page);
    const email = `consent-${Date.now()}@test.troupe`;
    await auth.signUp("Consenting", email, "a-good-password");
    await expect(page).toHaveURL(/\/characters/);
    await page.goto("/settings");
    const toggle = page.getByTestId("consent-switch");
    await expect(toggle).toHaveAttribute("aria-checked", "false");
    await toggle.click();
    await expect(page.getByTestId("consent-status")).toContainText("You have agreed (since");
    await page.reload();
    await expect(page.getByTestId("consent-switch")).toHaveAttribute("aria-checked", "true");
    const me = await (await page.request.get("/api/me")).json();
    expect(me.user.trainingConsent).toBe(true);
    await page.getByTestId("consent-switch").click();
    await expect(page.getByTestId("consent-status")).toContainText("You have not agreed (since");
    await page.reload();
    await expect(page.getByTestId("consent-switch")).toHaveAttribute("aria-checked", "false");
  });

  test("deleting the account signs out and the account is gone", async ({ page }) => {
    const auth = new AuthPage(page);
    const email = `leaving-${Date.now()}@test.troupe`;
    await auth.signUp("Leaving", email, "a-good-password");
    await expect(page).toHaveURL(/\/characters/);
    await page.goto("/settings");
    await page.getByTestId("delete-account").click();
    await page.getByLabel(`Type ${email} to confirm`).fill("someone-else@test.troupe");
    await page.getByTestId("confirm-delete-account").click();
    await expect(page.getByText("This is not your account's email.")).toBeVisible();
    await page.getByLabel(`Type ${email} to confirm`).fill(email);
    await page.getByTestId("confirm-delete-account").click();
    await expect(page.getByTestId("account-deleted")).toBeVisible();
    await auth.signIn(email, "a-good-password");
    await expect(auth.formError()).toHaveText("Wrong email or password.");
  });
});
