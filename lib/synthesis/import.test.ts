import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { importInput } from "./service";

describe("importing a synthesis input", () => {
  it("an upload cut short leaves no input and no seeds behind", async () => {
    assertTestDatabase();
    const name = `cut-short-${Date.now()}.jsonl`;
    // Enough lines for a stored batch of seeds before the stream fails, as an over-size upload does.
    async function* cutShort() {
      for (let i = 0; i < 2500; i++) yield `{"persona": "A lighthouse keeper, number ${i}."}\n`;
      throw new Error("The request body is over the limit.");
    }
    await expect(importInput({ kind: "personas", name, source: cutShort() })).rejects.toThrow("over the limit");
    expect(await db.synthesisInput.count({ where: { name } })).toBe(0);
    expect(await db.synthesisSeed.count({ where: { input: { name } } })).toBe(0);
  });
});
