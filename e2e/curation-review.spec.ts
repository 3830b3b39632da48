import { expect, type Page, test } from "@playwright/test";
import { type SampleSeed, seedSamples, uniqueJobId } from "./fixtures/samples";
import { TEST_PASSWORD, testUser } from "./fixtures/users";
import { AuthPage } from "./pages/auth";

const HOSTILE = `<img src=x onerror=alert(1)>`;

/** The reviewer view of one sample, reached through a queue query. */
class SampleReviewPage {
  constructor(
    readonly page: Page,
    readonly query: string,
  ) {}

  root() {
    return this.page.getByTestId("sample-review");
  }

  state() {
    return this.page.getByTestId("sample-state");
  }

  history() {
    return this.page.getByTestId("review-history");
  }

  async open(id: string) {
    await this.page.goto(`/admin/curation/${id}?${this.query}`);
    await this.expectAt(id);
  }

  /** Wait until this sample is on screen, reached with the same query, and its shortcuts listen. */
  async expectAt(id: string) {
    await expect(this.page).toHaveURL(`/admin/curation/${id}?${this.query}`);
    await expect(this.root()).toHaveAttribute("data-sample-id", id);
    await expect(this.root()).toHaveAttribute("data-ready", "true");
  }

  /** The id of the sample now on screen, once it is another than `from`. */
  async movedFrom(from: string): Promise<string> {
    await expect(this.root()).not.toHaveAttribute("data-sample-id", from);
    const id = (await this.root().getAttribute("data-sample-id")) ?? "";
    await this.expectAt(id);
    return id;
  }
}

const sft = (question: string, answer: string): SampleSeed => ({
  prompt: [
    { role: "system", content: "You are Mira, a lighthouse keeper who speaks in short sentences." },
    { role: "user", content: "Hello." },
    { role: "assistant", content: "*Mira nods.* Evening." },
    { role: "user", content: question },
  ],
  chosen: answer,
});

test.describe("sample review", () => {
  test("an admin reviews a queue with the keyboard, and an edit becomes an approved revision", async ({ page }) => {
    test.setTimeout(60_000);
    const jobId = uniqueJobId();
    const [first, second, third] = await seedSamples(jobId, [
      {
        ...sft("How is the sea tonight?", "Calm. *She checks the lamp.* Too calm."),
        judgement: {
          consistency: 5,
          instruction: 4,
          rationale: "Terse and in character.",
          model: "troupe-sim/base-7b",
          template: "curation-judge@1",
          templateHash: "0123456789abcdef0123",
        },
        score: 4.5,
      },
      { ...sft("Who built the lighthouse?", "Napoleon, in 1990."), state: "AUTO_CHECKED" },
      sft("Any ships?", "One. Far out."),
    ]);
    if (!first || !second || !third) throw new Error("seeding failed");
    await new AuthPage(page).signInAs(testUser("admin"));
    const review = new SampleReviewPage(page, `jobId=${jobId}&sort=oldest`);

    await review.open(first);
    await expect(review.state()).toHaveText("needs review");
    await expect(page.getByTestId("previous")).toBeDisabled();
    await expect(page.getByTestId("judge")).toContainText("Terse and in character.");
    const turns = review.root().getByTestId("turn");
    await expect(turns.filter({ hasText: "Evening." })).toContainText("context, not trained");
    await expect(turns.last()).toContainText("trained");
    await expect(turns.last()).not.toContainText("context");
    await expect(turns.last()).toHaveAttribute("data-role", "assistant");

    await page.keyboard.press("a");
    await review.expectAt(second);

    await page.keyboard.press("r");
    await expect(page.getByTestId("reason-picker").getByRole("textbox")).toBeFocused();
    await page.keyboard.press("2");
    await review.expectAt(third);

    await page.keyboard.press("k");
    await review.expectAt(second);
    await expect(review.state()).toHaveText("rejected");
    await expect(review.history()).toContainText("factually wrong");
    await page.keyboard.press("u");
    await expect(review.state()).toHaveText("needs review");

    await page.keyboard.press("ArrowLeft");
    await review.expectAt(first);
    await expect(review.state()).toHaveText("approved");
    await expect(review.history()).toContainText("Ada Admin");

    // Editing an approved sample: the revision is approved, the original is rejected as replaced.
    await page.keyboard.press("e");
    const editor = page.getByTestId("revision-editor");
    await editor.getByLabel("Answer", { exact: true }).fill("Calm. Too calm. *She lights the lamp early.*");
    await editor.getByLabel("Answer", { exact: true }).press("Control+Enter");
    const revision = await review.movedFrom(first);
    await expect(review.state()).toHaveText("approved");
    await expect(review.root().getByTestId("turn").last()).toContainText("She lights the lamp early.");
    await page.getByTestId("revision-of").click();
    await review.expectAt(first);
    await expect(review.state()).toHaveText("rejected");
    await expect(review.history()).toContainText(`replaced by revision ${revision}`);
  });

  test("a preference pair shows its answers side by side", async ({ page }) => {
    const jobId = uniqueJobId();
    const [pair] = await seedSamples(jobId, [
      {
        kind: "PREFERENCE",
        prompt: [{ role: "user", content: "Tell me about the storm." }],
        chosen: "It came at dusk. *She grips the rail.*",
        rejected: "As an AI, I cannot describe storms.",
      },
    ]);
    if (!pair) throw new Error("seeding failed");
    await new AuthPage(page).signInAs(testUser("admin"));
    await new SampleReviewPage(page, `jobId=${jobId}`).open(pair);
    const chosen = page.getByTestId("pair-chosen");
    const rejected = page.getByTestId("pair-rejected");
    await expect(chosen).toContainText("It came at dusk.");
    await expect(rejected).toContainText("As an AI, I cannot describe storms.");
    const left = await chosen.boundingBox();
    const right = await rejected.boundingBox();
    expect(left && right).toBeTruthy();
    if (left && right) {
      expect(left.x + left.width).toBeLessThanOrEqual(right.x);
      expect(Math.abs(left.y - right.y)).toBeLessThan(4);
    }
    await expect(page.getByTestId("next")).toBeDisabled();
  });

  test("markup in a sample and its lineage stays text", async ({ page }) => {
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const jobId = uniqueJobId();
    const answer = `Plain words first. ${HOSTILE} <script>alert(3)</script> Plain words last.`;
    const [hostile] = await seedSamples(jobId, [
      {
        prompt: [{ role: "user", content: `Hi <script>alert(2)</script>\n\n${HOSTILE}` }],
        chosen: answer,
        lineage: { note: HOSTILE, script: "<script>alert(4)</script>" },
        flags: [{ code: "breaks_role", detail: HOSTILE }],
      },
    ]);
    if (!hostile) throw new Error("seeding failed");
    await new AuthPage(page).signInAs(testUser("admin"));
    const review = new SampleReviewPage(page, `jobId=${jobId}`);
    await review.open(hostile);

    await expect(review.root().getByTestId("turn").last()).toContainText("Plain words last.");
    // The reviewer sees the markup as text: exactly what a trainer would read, nothing run.
    await expect(review.root().getByTestId("turn").last()).toContainText(`${HOSTILE} <script>alert(3)</script>`);
    await expect(review.root().locator("img, script, iframe")).toHaveCount(0);
    await expect(page.getByTestId("flags")).toContainText(HOSTILE);
    const lineage = page.getByTestId("lineage");
    await lineage.locator("summary").click();
    await expect(lineage.locator("pre")).toContainText(HOSTILE);
    await expect(lineage.locator("pre")).toContainText("<script>alert(4)</script>");
    // The editor shows the raw answer as text, and Esc leaves it.
    await page.keyboard.press("e");
    const editor = page.getByTestId("revision-editor").getByLabel("Answer", { exact: true });
    await expect(editor).toBeFocused();
    await expect(editor).toHaveValue(answer);
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("revision-editor")).toHaveCount(0);
    expect(dialogs).toEqual([]);
  });

  test("non-admins get 403", async ({ page }) => {
    const [sample] = await seedSamples(uniqueJobId(), [sft("Hello?", "Evening.")]);
    if (!sample) throw new Error("seeding failed");
    // A fresh account: another spec briefly makes bob an admin.
    await new AuthPage(page).signUp("Nadia Nonadmin", `nonadmin-${uniqueJobId()}@example.com`, TEST_PASSWORD);
    const response = await page.goto(`/admin/curation/${sample}`);
    expect(response?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toBeVisible();
    await expect(page.getByTestId("sample-review")).toHaveCount(0);
  });
});
