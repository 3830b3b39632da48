import { expect, type Page, test } from "@playwright/test";
import { DEAD_PORT, SIM_PORT } from "../playwright.config";
import { testUser } from "./fixtures/users";
import { AuthPage } from "./pages/auth";
import { ChatPage } from "./pages/chat";

const stamp = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** The `model` fields of every chat completion the simulator has received. */
async function modelsSent(page: Page): Promise<unknown[]> {
  const response = await page.request.get(`http://127.0.0.1:${SIM_PORT}/sim/requests`);
  const { requests } = (await response.json()) as { requests: { path: string; body: { model?: unknown } | null }[] };
  return requests.filter((request) => request.path === "/v1/chat/completions").map((request) => request.body?.model);
}

test.describe("model registry and routing", () => {
  test("an endpoint's API key never reaches the browser, and a down endpoint shows as unreachable", async ({
    page,
  }) => {
    const secret = `sk-e2e-${stamp()}-do-not-leak`;
    const bodies: string[] = [];
    page.on("response", async (response) => {
      const type = response.headers()["content-type"] ?? "";
      if (/text|json|javascript|x-component/.test(type)) bodies.push(await response.text().catch(() => ""));
    });
    await new AuthPage(page).signInAs(testUser("admin"));
    await page.goto("/admin/models");
    const name = `down-${stamp()}`;
    await page.getByTestId("add-endpoint").click();
    await page.getByLabel("Name").fill(name);
    // Nothing listens on this port (the "model down" app points at it too).
    await page.getByLabel("Base URL").fill(`http://127.0.0.1:${DEAD_PORT}/v1`);
    await page.getByLabel("API key").fill(secret);
    await page.getByTestId("save-endpoint").click();
    const card = page.getByTestId("endpoint-card").filter({ has: page.getByRole("heading", { name }) });
    await expect(card).toContainText("unreachable");
    await expect(card).toContainText("API key stored");
    // The rest of the page still works.
    await expect(
      page.getByTestId("endpoint-card").filter({ has: page.getByRole("heading", { name: "default" }) }),
    ).toContainText("healthy");

    await page.reload();
    await expect(card).toContainText("unreachable");
    const list = await page.request.get("/api/health");
    bodies.push(await list.text());
    bodies.push(await page.content());
    expect(bodies.length).toBeGreaterThan(3);
    for (const body of bodies) expect(body).not.toContain(secret);
  });

  test("an admin loads an adapter, routes a character to it, and its new chats send that model id", async ({
    page,
  }) => {
    // A long flow (register, load, preset, route, chat): ~30 s on a busy 2-core machine.
    test.setTimeout(60_000);
    const adapter = `char-e2e-${stamp()}-v1`;
    const versionName = `E2E adapter ${adapter}`;
    await new AuthPage(page).signInAs(testUser("admin"));
    const created = await page.request.post("/api/characters", {
      data: { profile: { name: `Routed ${adapter}`, greeting: "Hello." }, tags: [], visibility: "PRIVATE" },
    });
    const characterId = (await created.json()).id as string;

    await page.goto("/admin/models");
    await page.getByTestId("register-model").click();
    await page.getByLabel("Name users see").fill(versionName);
    await page.locator("#model-endpoint").selectOption("default");
    await page.getByLabel("Served model id").fill(adapter);
    await page.getByLabel("Adapter path").fill(`/adapters/${adapter}`);
    await page.getByTestId("save-model").click();
    await expect(page.getByTestId(`status-${versionName}`)).toHaveText("registered");
    await page.getByTestId(`load-${versionName}`).click();
    // vLLM's own answer is shown, then the new status.
    await expect(page.getByTestId("toast").filter({ hasText: "vLLM answered HTTP 200" })).toBeVisible();
    await expect(page.getByTestId(`status-${versionName}`)).toHaveText("loaded");

    await page.getByTestId(`preset-${versionName}`).click();
    await page.getByLabel("Temperature").fill("0.35");
    await page.getByTestId("save-preset").click();
    await expect(page.getByTestId("toast").filter({ hasText: `${versionName} saved` })).toBeVisible();

    await page.goto("/admin/routing");
    await page.getByLabel("Character").first().fill(`http://localhost/characters/${characterId}`);
    await page.locator("#route-character-model").selectOption({ label: versionName });
    await page.getByTestId("save-character-model").click();
    await expect(page.getByTestId("character-routes")).toContainText(versionName);

    const chat = new ChatPage(page);
    await chat.startWith(characterId);
    await expect(page.getByTestId("chat-subtitle")).toContainText(adapter);
    await chat.send("Which model are you?");
    await chat.waitForReply();
    expect(await modelsSent(page)).toContain(adapter);

    await page.goto("/admin/models");
    await expect(page.getByTestId(`status-${versionName}`)).toHaveText("serving");
  });

  test("non-admins cannot use the registry or routing actions and pages", async ({ page }) => {
    await new AuthPage(page).signInAs(testUser("bob"));
    for (const path of ["/admin/models", "/admin/routing"]) {
      expect((await page.goto(path))?.status(), path).toBe(403);
    }
  });
});
