import path from "node:path";
import { expect, test } from "@playwright/test";
import { testUser } from "./fixtures/users";
import { AuthPage } from "./pages/auth";

test("an admin imports personas, previews a prompt, and a profiles job runs to the end on a worker", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await new AuthPage(page).signInAs(testUser("admin"));
  await page.goto("/admin/synthesis");
  await page.locator("#input-kind").selectOption("personas");
  await page.locator("#input-file").setInputFiles(path.resolve("samples/synthesis/personas.txt"));
  await page.getByTestId("upload-input").click();
  await expect(page.getByTestId("synthesis-inputs")).toContainText("personas.txt");

  await page.locator("#synth-pipeline").selectOption("profiles");
  await page.locator("#synth-limit").fill("2");
  await page.getByTestId("synth-preview").click();
  await expect(page.getByTestId("synth-preview-output")).toContainText("Persona:");
  await page.getByTestId("synth-start").click();
  await expect(page).toHaveURL(/\/admin\/synthesis\/[a-z0-9]+$/);
  await expect(page.getByTestId("job-status")).toHaveText("completed", { timeout: 60_000 });
  await expect(page.getByTestId("job-counters")).toContainText("2 / 2");
  await expect(page.getByTestId("job-characters").locator("li")).toHaveCount(2);
});

test("non-admins cannot see synthesis or upload inputs", async ({ page }) => {
  await new AuthPage(page).signInAs(testUser("bob"));
  expect((await page.goto("/admin/synthesis"))?.status()).toBe(403);
  const upload = await page.request.post("/api/admin/synthesis/inputs?kind=personas&name=x.txt", {
    data: "A persona line that should never be stored.",
  });
  expect(upload.status()).toBe(403);
});
