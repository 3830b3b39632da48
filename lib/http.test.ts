import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "./errors";
import { parseJsonBody, parseWith } from "./http";

const schema = z.object({ name: z.string(), extensions: z.record(z.string(), z.unknown()).optional() });

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

// Found by the API fuzz: each of these reached PostgreSQL or Prisma and came back as a 500.
describe("parseWith refuses input nothing downstream can take", () => {
  it("text with a NUL or an unpaired surrogate, in a value or a key, naming where", () => {
    expect(refusal(() => parseWith(schema, { name: "A\u0000" })).toJSON()).toEqual({
      error: {
        code: "bad_request:text",
        message: "Text with a NUL character or broken Unicode (an unpaired surrogate) cannot be stored.",
        fields: { name: ["Text with a NUL character or broken Unicode (an unpaired surrogate) cannot be stored."] },
      },
    });
    expect(refusal(() => parseWith(schema, { name: "x", extensions: { "k\ud800": 1 } })).details.fields).toHaveProperty(
      ["extensions.k\ud800"],
    );
    expect(refusal(() => parseWith(z.string(), "\udc00")).status).toBe(400);
  });

  it("keeps whole surrogate pairs and everything else", () => {
    expect(parseWith(schema, { name: "😀 \u200b\ufeff é\t" })).toEqual({ name: "😀 \u200b\ufeff é\t" });
  });

  it("nesting past 128 levels, without overflowing the stack itself", () => {
    const deep = JSON.parse(`{"name": "x", "extensions": {"a": ${"[".repeat(100_000)}${"]".repeat(100_000)}}}`);
    expect(refusal(() => parseWith(schema, deep)).code).toBe("bad_request:depth");
    const fine = JSON.parse(`{"name": "x", "extensions": {"a": ${"[".repeat(120)}${"]".repeat(120)}}}`);
    expect(parseWith(schema, fine).name).toBe("x");
  });

  it("in JSON bodies too", async () => {
    const request = new Request("http://troupe.test", { method: "POST", body: '{"name": "\\u0000"}' });
    await expect(parseJsonBody(request, schema)).rejects.toMatchObject({ code: "bad_request:text" });
  });
});
