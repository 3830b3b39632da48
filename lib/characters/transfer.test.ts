import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/lib/users/queries";
import { exportJson, toCardV2 } from "./cards";
import { getCharacterForViewer } from "./queries";
import { emptyProfile } from "./schema";
import { assertImportAllowed, exportCharacter, importCardFiles } from "./transfer";

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
  it("refuses a user's imports past 50 an hour with a 429, importing nothing", async () => {
    const importer = await createUser({
      email: `limit-${Date.now()}@unit.troupe`,
      name: "Busy",
      password: "pass-word-1",
    });
    await db.rateLimitBucket.create({
      data: { key: `import:${importer.id}`, count: 49, windowEnds: new Date(Date.now() + 3_600_000) },
    });
    const card = () => file("c.json", exportJson(emptyProfile("Limit Lark"), [], "v2"));
    expect(await importCardFiles(importer, [card()])).toMatchObject([{ ok: true }]);
    await expect(importCardFiles(importer, [card()])).rejects.toMatchObject({
      status: 429,
      code: "rate_limited:import",
    });
    expect(await db.character.count({ where: { ownerId: importer.id } })).toBe(1);
    // Someone else still imports.
    expect(await importCardFiles(user, [card()])).toMatchObject([{ ok: true }]);
  });

  it("checks the limit before an upload is read, without counting the check", async () => {
    const importer = await createUser({
      email: `peek-${Date.now()}@unit.troupe`,
      name: "Peek",
      password: "pass-word-1",
    });
    await expect(assertImportAllowed(importer)).resolves.toBeUndefined();
    expect(await db.rateLimitBucket.findUnique({ where: { key: `import:${importer.id}` } })).toBeNull();
    await db.rateLimitBucket.create({
      data: { key: `import:${importer.id}`, count: 50, windowEnds: new Date(Date.now() + 3_600_000) },
    });
    await expect(assertImportAllowed(importer)).rejects.toMatchObject({ status: 429, code: "rate_limited:import" });
  });

  it("refuses more than 50 files in one request", async () => {
    const files = Array.from({ length: 51 }, (_, index) => file(`${index}.json`, "{}"));
    await expect(importCardFiles(user, files)).rejects.toMatchObject({ status: 413, code: "payload_too_large:files" });
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
