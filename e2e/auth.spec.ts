import { expect, test } from "@playwright/test";
import { TEST_PASSWORD, testUser } from "./fixtures/users";
import { AuthPage } from "./pages/auth";

test.describe("accounts", () => {
  test("sign up creates an account and signs it in", async ({ page }) => {
    const auth = new AuthPage(page);
    const email = `new-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@test.troupe`;
    await auth.signUp("Newcomer", email, "a-good-password");
    await expect(page).toHaveURL(/\/characters/);
    await page.getByTestId("account-menu").click();
    await expect(page.getByTestId("account-name")).toHaveText("Newcomer");
  });

  test("sign up shows field errors and keeps the user on the form", async ({ page }) => {
    const auth = new AuthPage(page);
    await auth.signUp("", "not-an-email", "short");
    await expect(page.getByText("Enter a valid email address.")).toBeVisible();
    await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
    await expect(page).toHaveURL(/\/signup/);
  });

  test("sign up with a taken email says so", async ({ page }) => {
    await new AuthPage(page).signUp("Copy", testUser("alice").email, "a-good-password");
    await expect(page.getByText("An account with this email already exists.")).toBeVisible();
  });

  test("sign in, then sign out", async ({ page }) => {
    const auth = new AuthPage(page);
    await auth.signInAs(testUser("alice"));
    await expect(page).toHaveURL(/\/characters/);
    await auth.signOut();
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/login\?next=%2Fsettings/);
  });

  test("wrong password is refused with a clear message", async ({ page }) => {
    const auth = new AuthPage(page);
    await auth.gotoLogin();
    await auth.signIn(testUser("bob").email, "not-the-password");
    await expect(auth.formError()).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/login/);
  });

  test("repeated failures are rate limited, in the form and with 429 from the API", async ({ page, request }) => {
    const auth = new AuthPage(page);
    const { email } = testUser("locked");
    await auth.gotoLogin();
    for (let attempt = 0; attempt < 5; attempt++) {
      await auth.signIn(email, `wrong-${attempt}`);
      await expect(auth.formError()).toHaveText("Wrong email or password.");
    }
    await auth.signIn(email, TEST_PASSWORD);
    await expect(auth.formError()).toContainText("Too many failed sign-ins");

    const csrf = await (await request.get("/api/auth/csrf")).json();
    const response = await request.post("/api/auth/callback/credentials", {
      form: { email, password: TEST_PASSWORD, csrfToken: csrf.csrfToken },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(429);
    expect((await response.json()).error.code).toBe("rate_limited:login");
  });

  test("signing in returns to the page that asked for it", async ({ page }) => {
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/login\?next=/);
    await new AuthPage(page).signIn(testUser("alice").email);
    await expect(page).toHaveURL(/\/settings$/);
  });
});
