import { expect, type Page, test } from "@playwright/test";
import { TEST_PASSWORD, testUser } from "./fixtures/users";
import { AuthPage } from "./pages/auth";

const stamp = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

const CHARACTERS = [
  ["Mira Holt", "Mira Holt keeps the lighthouse on Skerry Point in 1890 and logs every passing ship."],
  ["Tobias Fenn", "Tobias Fenn is a clockmaker in Prague in 1720 who repairs the town's tower clocks."],
  ["Ines Calder", "Ines Calder is a glacier guide in the Alps in 1935 who knows every crevasse by name."],
  ["Oskar Lund", "Oskar Lund bakes rye bread in a Stockholm cellar bakery in 1910 and rises at three."],
] as const;

/** A knowledge suite of four characters (the least that gives the consistency judge four candidates), 1–2 turns each. */
function knowledgeSuite(name: string): string {
  const lines: object[] = [{ suite: { name, kind: "knowledge", description: "e2e" } }];
  CHARACTERS.forEach(([character, summary], index) => {
    const session = `${character.toLowerCase().replace(" ", "-")}-1`;
    const base = { session, character: { name: character, intro: summary, summary }, language: "en" };
    lines.push({ ...base, turn: 0, question: "What does your work ask of you each day?", type: "role_specific" });
    if (index < 2) {
      lines.push({ ...base, turn: 1, question: "What do you think of smartphones?", type: "out_of_knowledge" });
    }
  });
  return `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`;
}
const TURNS = 6;

async function startRun(page: Page, suiteLabel: string): Promise<string> {
  await page.goto("/admin/eval");
  const form = page.getByTestId("eval-start-run");
  await form.getByLabel("Suite").selectOption({ label: suiteLabel });
  // The papers' default for knowledge suites is three judge samples; one keeps the test short.
  await expect(form.getByLabel("Judge samples (n)")).toHaveValue("3");
  await form.getByLabel("Judge samples (n)").fill("1");
  await form.getByTestId("eval-start-submit").click();
  await form.getByTestId("eval-run-link").click();
  await expect(page).toHaveURL(/\/admin\/eval\/runs\/[^/?]+$/);
  // The simulator is both the model under test and the judge; the workers run the job.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("eval-job-status")).toHaveText("completed", { timeout: 1000 });
  }).toPass({ timeout: 90_000 });
  return page.url();
}

test.describe("evaluation", () => {
  test("an admin uploads a suite, runs it twice, reads the run, the leaderboard with the papers' figures, and the comparison", async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await new AuthPage(page).signInAs(testUser("admin"));
    await page.goto("/admin/eval");
    const suites = page.getByTestId("eval-suites");
    await expect(suites).toContainText("troupe-knowledge");
    await expect(suites).toContainText("troupe-persona");

    const name = `e2e-knowledge-${stamp()}`;
    await page.getByLabel("Suite file").setInputFiles({
      name: `${name}.jsonl`,
      mimeType: "application/x-ndjson",
      buffer: Buffer.from(knowledgeSuite(name)),
    });
    await page.getByTestId("eval-upload-submit").click();
    const row = suites.getByTestId("eval-suite-row").filter({ hasText: `${name} v1` });
    await expect(row).toContainText("knowledge");
    await expect(row).toContainText("imported");
    await expect(row).toContainText(String(TURNS));

    const label = `${name} v1 (knowledge)`;
    const firstRun = await startRun(page, label);
    const metrics = page.getByTestId("eval-metrics");
    for (const metric of ["consistency", "knowledge", "rejection"]) {
      await expect(metrics.getByRole("cell", { name: metric, exact: true })).toBeVisible();
    }
    // The simulator's judge replies are random text: count what was read, not what it scored.
    await expect(page.getByTestId("eval-counts")).toContainText(`Judge samples${TURNS * 3}`);
    await expect(page.getByTestId("eval-parse-failures")).toContainText(/Parse failures\d+/);
    const items = page.getByTestId("eval-item");
    await expect(items).toHaveCount(TURNS);
    await expect(items.first().getByTestId("eval-judge-replies")).toContainText("3 judge replies");

    await page.getByRole("link", { name: "← Leaderboard" }).click();
    await expect(page.getByTestId("eval-run-row")).toHaveCount(1);
    const published = page.getByTestId("published-figure");
    await expect(published.first()).toContainText("published figure");
    await expect(published.first()).toContainText("arXiv 2401.12474");
    await expect(published.first()).toContainText("not measured here");
    await expect(published.filter({ hasText: "Ditto-7B" })).toHaveCount(1);

    const secondRun = await startRun(page, label);
    expect(secondRun).not.toBe(firstRun);
    await page.getByRole("link", { name: "← Leaderboard" }).click();
    await expect(page.getByTestId("eval-run-row")).toHaveCount(2);
    await page.getByTestId("eval-compare-submit").click();
    await expect(page).toHaveURL(/\/admin\/eval\/compare\?a=[^&]+&b=[^&]+$/);
    await expect(page.getByTestId("eval-compare")).toContainText("A (baseline)");
    await expect(page.getByTestId("eval-compare")).toContainText("B (candidate)");
    await expect(page.getByTestId("eval-compare-metrics").getByRole("cell", { name: "rejection" })).toBeVisible();
    // Same judge model and templates for both runs.
    await expect(page.getByTestId("eval-judge-changed")).toHaveCount(0);
    await expect(page.getByText(/^Got worse: \d+$/)).toBeVisible();
  });

  test("a suite file with a bad line is refused with a 400 that names the line, and nothing is stored", async ({
    page,
  }) => {
    await new AuthPage(page).signInAs(testUser("admin"));
    const name = `e2e-bad-${stamp()}`;
    const [header, first] = knowledgeSuite(name).split("\n");
    const response = await page.request.post("/api/admin/eval/suites", {
      multipart: {
        file: {
          name: "bad.jsonl",
          mimeType: "application/x-ndjson",
          buffer: Buffer.from(`${header}\n${first}\n{"session": "x", "turn": 0}\n`),
        },
      },
    });
    expect(response.status()).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("bad_request:suite_lines");
    expect(body.error.message).toContain("line 3");
    await page.goto("/admin/eval");
    await expect(page.getByTestId("eval-suites")).not.toContainText(name);
  });

  test("non-admins get 403 on the evaluation pages and endpoints", async ({ page }) => {
    // A fresh account: another spec briefly makes bob an admin.
    await new AuthPage(page).signUp("Eve Evaluator", `eval-nonadmin-${stamp()}@example.com`, TEST_PASSWORD);
    for (const path of [
      "/admin/eval",
      "/admin/eval/suites/some-suite",
      "/admin/eval/runs/some-run",
      "/admin/eval/compare?a=one&b=two",
    ]) {
      expect((await page.goto(path))?.status(), path).toBe(403);
    }
    const upload = await page.request.post("/api/admin/eval/suites", {
      multipart: {
        file: { name: "suite.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(knowledgeSuite("nope")) },
      },
    });
    expect(upload.status()).toBe(403);
    expect((await page.request.get("/api/admin/eval/suites/some-suite/export")).status()).toBe(403);
  });
});
