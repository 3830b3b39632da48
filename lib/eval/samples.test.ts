import { createReadStream } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rightCandidate } from "./candidates";
import { judgesFor } from "./judges";
import { type KnowledgeItem, PERSONA_TASKS, type PersonaItem, readSuite } from "./schema";

const read = (name: string) => readSuite(createReadStream(path.join(__dirname, "../../samples/eval", name)));

describe("built-in suites", () => {
  it("troupe-knowledge: 20 characters, sessions of 2–3 turns, 60–80 turns, both question types, other languages", async () => {
    const { header, items, errors } = await read("troupe-knowledge.jsonl");
    expect(errors).toEqual([]);
    expect(header).toMatchObject({ name: "troupe-knowledge", kind: "knowledge" });
    const turns = items as KnowledgeItem[];
    expect(turns.every((item) => item.kind === "knowledge")).toBe(true);
    expect(new Set(turns.map((item) => item.character.name)).size).toBe(20);
    expect(turns.length).toBeGreaterThanOrEqual(60);
    expect(turns.length).toBeLessThanOrEqual(80);

    const sessions = new Map<string, KnowledgeItem[]>();
    for (const item of turns) sessions.set(item.session, [...(sessions.get(item.session) ?? []), item]);
    for (const session of sessions.values()) {
      expect(session.length).toBeGreaterThanOrEqual(2);
      expect(session.length).toBeLessThanOrEqual(3);
      expect(session.map((item) => item.type)).toContain("role_specific");
      expect(session.map((item) => item.type)).toContain("out_of_knowledge");
    }
    for (const item of turns) {
      expect(item.character.intro).not.toBe("");
      expect(item.character.summary).not.toBe("");
      expect(item.evidence).not.toBe("");
      expect(item.shouldRefuse).toBe(item.type === "out_of_knowledge");
      expect(rightCandidate(item)).toBeDefined();
      expect(
        judgesFor(item)
          .map((judge) => judge.render("An answer.").prompt)
          .join(),
      ).not.toContain("{{");
    }
    const otherLanguages = new Set(turns.filter((item) => item.language !== "en").map((item) => item.character.name));
    expect(otherLanguages.size).toBeGreaterThanOrEqual(2);
  });

  it("troupe-persona: 20 personas × the 5 tasks, 100 items", async () => {
    const { header, items, errors } = await read("troupe-persona.jsonl");
    expect(errors).toEqual([]);
    expect(header).toMatchObject({ name: "troupe-persona", kind: "persona" });
    expect(items).toHaveLength(100);
    const byPersona = new Map<string, string[]>();
    for (const item of items as PersonaItem[]) {
      byPersona.set(item.persona, [...(byPersona.get(item.persona) ?? []), item.task]);
    }
    expect(byPersona.size).toBe(20);
    for (const tasks of byPersona.values()) expect([...tasks].sort()).toEqual([...PERSONA_TASKS].sort());
  });
});
