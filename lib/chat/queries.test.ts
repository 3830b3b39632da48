import { afterAll, beforeAll, expect, it } from "vitest";
import { createCharacter } from "@/lib/characters/queries";
import { emptyProfile } from "@/lib/characters/schema";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/lib/users/queries";
import { startConversation } from "./queries";

assertTestDatabase();

// New chats are routed to the environment's model; nothing here calls it.
beforeAll(() => {
  process.env.LLM_BASE_URL = "http://127.0.0.1:9/v1";
  process.env.LLM_MODEL = "troupe-sim/base-7b";
});
afterAll(() => {
  delete process.env.LLM_BASE_URL;
  delete process.env.LLM_MODEL;
});

it("starts more chats at once than the database pool has connections", async () => {
  const user = await createUser({ email: `many-${Date.now()}@unit.troupe`, name: "Many", password: "pass-word-1" });
  const character = await createCharacter({
    ownerId: user.id,
    profile: { ...emptyProfile("Busy Bo"), greeting: "Hi, {{user}}." },
    tags: [],
  });
  const count = 3 * (Number(process.env.DB_POOL_SIZE) || 20);
  const chats = await Promise.all(
    Array.from({ length: count }, () => startConversation({ id: user.id, role: "USER" }, character.id)),
  );
  // Had the starts held the pool against each other, they would fail with the pool's connection timeout.
  expect(
    await db.message.count({ where: { conversationId: { in: chats.map((chat) => chat.id) }, content: "Hi, Many." } }),
  ).toBe(count);
});
