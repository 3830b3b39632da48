import { expect, test } from "@playwright/test";
import { TEST_PASSWORD, testUser } from "./fixtures/users";
import { AuthPage } from "./pages/auth";

test.describe("admin area", () => {
  test("a non-admin gets a 403 page from the server and no Admin link", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("bob"));
    await expect(page.getByTestId("nav-admin")).toHaveCount(0);
    const response = await page.goto("/admin/users");
    expect(response?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toBeVisible();
    await expect(page.getByTestId("users-table")).toHaveCount(0);
  });

  test("a non-admin gets 403 from admin APIs", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("bob"));
    const list = await page.request.get("/api/admin/users");
    expect(list.status()).toBe(403);
    expect((await list.json()).error.code).toBe("forbidden:role");
    const patch = await page.request.patch("/api/admin/users/anyone", { data: { role: "ADMIN" } });
    expect(patch.status()).toBe(403);
  });

  test("an admin lists users and changes a role", async ({ page, browser }) => {
    // A fresh account: a fixed user promoted midway would change what other tests running now see.
    const email = `promoted-${Date.now()}@example.com`;
    const newcomer = await browser.newPage();
    await new AuthPage(newcomer).signUp("Promoted Pat", email, TEST_PASSWORD);
    await newcomer.close();
    await new AuthPage(page).signInAs(testUser("admin"));
    await page.getByTestId("nav-admin").click();
    await expect(page.getByTestId("admin-overview")).toBeVisible();
    await page.goto("/admin/users");
    const table = page.getByTestId("users-table");
    await expect(table.getByText(testUser("alice").email)).toBeVisible();

    const api = await page.request.get(`/api/admin/users?q=${encodeURIComponent(email)}`);
    const { users } = await api.json();
    const target = users.find((user: { email: string }) => user.email === email);
    const promoted = await page.request.patch(`/api/admin/users/${target.id}`, { data: { role: "ADMIN" } });
    expect((await promoted.json()).user.role).toBe("ADMIN");
    const demoted = await page.request.patch(`/api/admin/users/${target.id}`, { data: { role: "USER" } });
    expect((await demoted.json()).user.role).toBe("USER");
    const invalid = await page.request.patch(`/api/admin/users/${target.id}`, { data: { role: "OWNER" } });
    expect(invalid.status()).toBe(400);
  });
});

test.describe("model registry page", () => {
  test("an admin sees the endpoint's health and its base and LoRA models; others get 403", async ({
    page,
    browser,
  }) => {
    await new AuthPage(page).signInAs(testUser("admin"));
    await page.goto("/admin/models");
    const endpoint = page.getByTestId("endpoint-card").filter({ has: page.getByRole("heading", { name: "default" }) });
    await expect(endpoint).toContainText("healthy");
    await expect(endpoint).toContainText("troupe-sim/base-7b");
    await expect(endpoint).toContainText("troupe-sim/lora-aria-v1");
    await expect(endpoint).toContainText("LoRA on troupe-sim/base-7b");
    await expect(endpoint.getByTestId("endpoint-metrics")).toContainText("KV cache");
    const bob = await browser.newPage();
    await new AuthPage(bob).signInAs(testUser("bob"));
    expect((await bob.goto("/admin/models"))?.status()).toBe(403);
  });
});

test.describe("anonymous", () => {
  test("APIs answer 401 with the shared error shape", async ({ request }) => {
    for (const [method, url] of [
      ["GET", "/api/me"],
      ["PUT", "/api/me/consent"],
      ["GET", "/api/admin/users"],
      ["PATCH", "/api/admin/users/x"],
    ] as const) {
      const response = await request.fetch(url, {
        method,
        data: method === "GET" ? undefined : { trainingConsent: true, role: "USER" },
      });
      expect(response.status(), `${method} ${url}`).toBe(401);
      expect((await response.json()).error.code).toBe("unauthorized:session");
    }
  });

  test("admin pages redirect to sign-in", async ({ page }) => {
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/login\?next=%2Fadmin/);
  });
});
