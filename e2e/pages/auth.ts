import { expect, type Page } from "@playwright/test";
import { TEST_PASSWORD, type TestUser } from "../fixtures/users";

export class AuthPage {
  constructor(readonly page: Page) {}

  async gotoLogin(next?: string) {
    await this.page.goto(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
  }

  /** Submit the form and wait for the server action's answer, so attempts never overlap. */
  private async submit(form: ReturnType<Page["getByTestId"]>) {
    const answered = this.page.waitForResponse((response) => response.request().method() === "POST");
    await form.getByTestId("auth-submit").click();
    await answered;
  }

  async signIn(email: string, password = TEST_PASSWORD) {
    const form = this.page.getByTestId("signin-form");
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Password").fill(password);
    await this.submit(form);
  }

  async signInAs(user: TestUser, next?: string) {
    await this.gotoLogin(next);
    await this.signIn(user.email, user.password);
    await expect(this.page.getByTestId("account-menu")).toBeVisible();
  }

  async signUp(name: string, email: string, password: string) {
    await this.page.goto("/signup");
    const form = this.page.getByTestId("signup-form");
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Password").fill(password);
    await this.submit(form);
  }

  async signOut() {
    await this.page.getByTestId("account-menu").click();
    await this.page.getByTestId("sign-out").click();
    await expect(this.page).toHaveURL(/\/login/);
    // The redirect can land before the browser has dropped the session cookie.
    await expect
      .poll(async () => (await this.page.context().cookies()).some((cookie) => cookie.name.includes("session-token")))
      .toBe(false);
  }

  formError() {
    return this.page.getByTestId("form-error");
  }
}
