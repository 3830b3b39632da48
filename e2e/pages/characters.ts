import { expect, type Page } from "@playwright/test";

export class CharacterEditorPage {
  constructor(readonly page: Page) {}

  async gotoNew() {
    await this.page.goto("/characters/new");
    await expect(this.page.getByTestId("character-editor")).toBeVisible();
  }

  tab(name: "Identity" | "Story" | "Knowledge" | "Chat" | "Lorebook") {
    return this.page.getByRole("tab", { name });
  }

  field(id: string) {
    return this.page.getByTestId(`field-${id}`);
  }

  preview() {
    return this.page.getByTestId("prompt-preview");
  }

  async save() {
    await this.page.getByTestId("save-character").click();
  }

  /** Create a character with the given fields and return its id (from the URL). */
  async create(fields: {
    name: string;
    description?: string;
    visibility?: "PRIVATE" | "UNLISTED" | "PUBLIC";
    tags?: string;
  }) {
    await this.gotoNew();
    await this.field("name").fill(fields.name);
    if (fields.description) {
      await this.tab("Knowledge").click();
      await this.field("description").fill(fields.description);
    }
    if (fields.tags) await this.field("tags").fill(fields.tags);
    if (fields.visibility) await this.field("visibility").selectOption(fields.visibility);
    await this.save();
    await expect(this.page.getByTestId("character-page")).toBeVisible();
    const id = new URL(this.page.url()).pathname.split("/").at(-1);
    if (!id) throw new Error("no character id in URL");
    return id;
  }
}
