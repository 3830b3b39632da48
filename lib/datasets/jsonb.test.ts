import { afterAll, describe, expect, it } from "vitest";
import { closeDatabase, pool } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { compactJsonbText } from "./jsonb";

const TRICKY = [
  [],
  [{ role: "user", content: "a, b: c" }],
  [
    { role: "system", content: 'Quotes "inside", a backslash \\ and \\", colons: yes, commas , here' },
    { role: "user", content: "line\nbreak\ttab \u0001 control, ¿qué? 你好 🎭 \u2028" },
    { role: "assistant", content: '{"role": "fake", "content": "json in text"}' },
  ],
  [{ role: "user", content: "" }],
];

describe("compactJsonbText", () => {
  afterAll(closeDatabase);

  it("turns PostgreSQL's jsonb text into exactly what JSON.stringify writes", async () => {
    assertTestDatabase();
    for (const turns of TRICKY) {
      const { rows } = await pool.query<{ text: string }>("SELECT $1::jsonb::text AS text", [JSON.stringify(turns)]);
      const text = rows[0]?.text as string;
      expect(compactJsonbText(text)).toBe(JSON.stringify(turns));
    }
  });
});
