import { expect, type Locator, type Page } from "@playwright/test";

export class ChatPage {
  constructor(readonly page: Page) {}

  /** Open the character page and start a chat; returns the conversation id. */
  async startWith(characterId: string): Promise<string> {
    await this.page.goto(`/characters/${characterId}`);
    await this.page.getByTestId("start-chat").click();
    await expect(this.page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
    return new URL(this.page.url()).pathname.split("/").at(-1) ?? "";
  }

  messages(): Locator {
    return this.page.getByTestId("chat-message");
  }

  last(): Locator {
    return this.messages().last();
  }

  /** Send a message and wait until it and the reply it starts are on screen. */
  async send(text: string) {
    const before = await this.messages().count();
    await this.page.getByTestId("composer").fill(text);
    // While a reply is still finishing, the composer shows Stop and Enter does nothing.
    await expect(this.page.getByTestId("send")).toBeEnabled();
    await this.page.getByTestId("composer").press("Enter");
    await expect(this.messages()).toHaveCount(before + 2);
  }

  /** Wait until the last reply has finished streaming, one way or another. */
  async waitForReply(status: "complete" | "stopped" | "failed" = "complete") {
    await expect(this.last()).toHaveAttribute("data-role", "assistant");
    await expect(this.last()).toHaveAttribute("data-status", status, { timeout: 15_000 });
  }
}
