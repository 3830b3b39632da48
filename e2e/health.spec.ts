import { expect, test } from "@playwright/test";
import { APP_PORTS } from "../playwright.config";
import { testUser } from "./fixtures/users";
import { AuthPage } from "./pages/auth";

const cases = [
  { name: "model up", port: APP_PORTS.connected, status: "ok", text: /Connected; \d+ model\(s\) available/ },
  { name: "model not configured", port: APP_PORTS.noModel, status: "not_configured", text: /No model is connected/ },
  { name: "model down", port: APP_PORTS.modelDown, status: "down", text: /not reachable/ },
] as const;

for (const { name, port, status, text } of cases) {
  test(`health page: ${name}`, async ({ page }) => {
    const base = `http://127.0.0.1:${port}`;
    await page.goto(`${base}/login`);
    await new AuthPage(page).signIn(testUser("admin").email);
    await expect(page.getByTestId("account-menu")).toBeVisible();
    await page.goto(`${base}/health`);
    await expect(page.getByTestId("health-database")).toHaveAttribute("data-status", "ok");
    await expect(page.getByTestId("health-model")).toHaveAttribute("data-status", status);
    await expect(page.getByTestId("health-model-message")).toHaveText(text);

    const api = await page.request.get(`${base}/api/health`);
    const body = await api.json();
    expect(body.app.status).toBe("ok");
    expect(body.database.status).toBe("ok");
    expect(body.model.status).toBe(status);
  });
}

test("no model connected: the app says so and tells how to connect one", async ({ page }) => {
  const base = `http://127.0.0.1:${APP_PORTS.noModel}`;
  await page.goto(`${base}/login`);
  await new AuthPage(page).signIn(testUser("admin").email);
  await expect(page.getByTestId("no-model-banner")).toContainText("LLM_BASE_URL");
});

test("anonymous health API hides where the model server is", async ({ request }) => {
  const body = await (await request.get("/api/health")).json();
  expect(body.model.status).toBe("ok");
  expect(body.model.endpoint).toBeUndefined();
  expect(JSON.stringify(body)).not.toContain("8011");
});
