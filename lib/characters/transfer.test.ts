import { beforeAll, describe, expect, it } from "vitest";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/lib/users/queries";
import { exportJson, toCardV2 } from "./cards";
import { getCharacterForViewer } from "./queries";
import { emptyProfile } from "./schema";
import { exportCharacter, importCardFiles } from "./transfer";

let user: { id: string; role: "USER" | "ADMIN" };
let stranger: { id: string; role: "USER" | "ADMIN" };

beforeAll(async () => {
  assertTestDatabase();
  const unique = () => `t-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@unit.troupe`;
  user = await createUser({ email: unique(), name: "Importer", password: "pass-word-1" });
  stranger = await createUser({ email: unique(), name: "Stranger", password: "pass-word-1" });
});

const file = (fileName: string, text: string) => ({ fileName, bytes: new TextEncoder().encode(text) });

describe("bulk import", () => {
  it("imports good files and reports bad ones, one result per file, in order", async () => {
    const good = exportJson({ ...emptyProfile("Good Gale"), description: "Windy." }, ["weather"], "v2");
    const results = await importCardFiles(user, [
      file("good.json", good),
      file("bad.json", "{nope"),
      file("empty.png", ""),
    ]);
    expect(results.map((result) => result.ok)).toEqual([true, false, false]);
    const first = results[0];
    if (!first?.ok || first.kind !== "character") throw new Error("expected a character");
    const character = await getCharacterForViewer(user, first.id);
    expect(character.origin).toBe("IMPORTED");
    expect(character.importFormat).toBe("v2");
    expect(character.visibility).toBe("PRIVATE");
    expect(character.tags).toEqual(["weather"]);
  });

  it("attaches a standalone lorebook to a chosen character as a new version", async () => {
    const [created] = await importCardFiles(user, [file("host.json", exportJson(emptyProfile("Lore Host"), [], "v3"))]);
    if (!created?.ok || created.kind !== "character") throw new Error("expected a character");
    const lorebook = JSON.stringify({
      spec: "lorebook_v3",
      data: {
        name: "Harbor lore",
        extensions: {},
        entries: [
          {
            keys: ["harbor"],
            content: "The harbor freezes in winter.",
            extensions: {},
            enabled: true,
            insertion_order: 1,
            use_regex: false,
          },
        ],
      },
    });
    const withoutTarget = await importCardFiles(user, [file("lore.json", lorebook)]);
    expect(withoutTarget[0]).toMatchObject({ ok: false, error: { code: "lorebook_needs_character" } });
    const attached = await importCardFiles(user, [file("lore.json", lorebook)], { lorebookTarget: created.id });
    expect(attached[0]).toMatchObject({ ok: true, kind: "lorebook", entries: 1 });
    const character = await getCharacterForViewer(user, created.id);
    expect(character.versionCount).toBe(2);
    expect(character.profile.lorebook?.entries[0]?.content).toBe("The harbor freezes in winter.");
  });

  it("cannot attach a lorebook to someone else's character", async () => {
    const [theirs] = await importCardFiles(stranger, [file("x.json", exportJson(emptyProfile("Not Yours"), [], "v2"))]);
    if (!theirs?.ok || theirs.kind !== "character") throw new Error("expected a character");
    const lorebook = JSON.stringify({ spec: "lorebook_v3", data: { entries: [] } });
    const [result] = await importCardFiles(user, [file("lore.json", lorebook)], { lorebookTarget: theirs.id });
    expect(result).toMatchObject({ ok: false, error: { code: "not_found:character" } });
  });
});

describe("export", () => {
  it("writes strict V2 JSON that matches toCardV2 of the current version", async () => {
    const card = toCardV2({ ...emptyProfile("Exported Ema"), personality: "Calm." }, ["calm"]);
    const [created] = await importCardFiles(user, [file("ema.json", JSON.stringify(card))]);
    if (!created?.ok || created.kind !== "character") throw new Error("expected a character");
    const exported = await exportCharacter(user, created.id, "v2");
    expect(exported.contentType).toBe("application/json");
    expect(JSON.parse(new TextDecoder().decode(exported.body))).toEqual(card);
    await expect(exportCharacter(stranger, created.id, "png")).rejects.toMatchObject({ status: 404 });
  });
});
