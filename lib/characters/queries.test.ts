import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/lib/users/queries";
import {
  createCharacter,
  forkCharacter,
  getCharacterForViewer,
  listGallery,
  listOwned,
  listVersions,
  saveCharacterVersion,
  setVisibility,
  softDeleteCharacter,
} from "./queries";
import { emptyProfile } from "./schema";

const email = () => `c-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@unit.troupe`;
let owner: { id: string; role: "USER" | "ADMIN" };
let other: { id: string; role: "USER" | "ADMIN" };
let admin: { id: string; role: "USER" | "ADMIN" };

beforeAll(async () => {
  assertTestDatabase();
  owner = await createUser({ email: email(), name: "Owner", password: "pass-word-1", role: "USER" });
  other = await createUser({ email: email(), name: "Other", password: "pass-word-1", role: "USER" });
  admin = await createUser({ email: email(), name: "Admin", password: "pass-word-1", role: "ADMIN" });
});

const newCharacter = (name: string, visibility: "PRIVATE" | "UNLISTED" | "PUBLIC" = "PRIVATE", tags: string[] = []) =>
  createCharacter({
    ownerId: owner.id,
    profile: { ...emptyProfile(name), description: `${name} description` },
    tags,
    visibility,
  });

describe("character versions", () => {
  it("every save creates the next immutable version; unchanged saves create none", async () => {
    const { id, versionId } = await newCharacter("Versioned");
    const first = await db.characterVersion.findUniqueOrThrow({ where: { id: versionId } });
    const saved = await saveCharacterVersion(owner, id, {
      profile: { ...emptyProfile("Versioned"), age: "40" },
      tags: [],
    });
    expect(saved).toMatchObject({ number: 2, changed: true });
    const again = await saveCharacterVersion(owner, id, {
      profile: { ...emptyProfile("Versioned"), age: "40" },
      tags: [],
    });
    expect(again).toMatchObject({ number: 2, changed: false });
    expect((await listVersions(owner, id)).map((version) => version.number)).toEqual([2, 1]);
    // Version 1 is untouched.
    expect(await db.characterVersion.findUniqueOrThrow({ where: { id: versionId } })).toEqual(first);
  });

  it("refuses a save based on a stale version with a conflict", async () => {
    const { id } = await newCharacter("Contested");
    await saveCharacterVersion(owner, id, {
      profile: { ...emptyProfile("Contested"), age: "1" },
      tags: [],
      expectedVersion: 1,
    });
    await expect(
      saveCharacterVersion(owner, id, {
        profile: { ...emptyProfile("Contested"), age: "2" },
        tags: [],
        expectedVersion: 1,
      }),
    ).rejects.toMatchObject({ code: "conflict:character_version", status: 409 });
  });
});

describe("visibility and ownership", () => {
  it("private characters are invisible (404) to others, visible to the owner and admins", async () => {
    const { id } = await newCharacter("Hidden");
    await expect(getCharacterForViewer(other, id)).rejects.toMatchObject({ status: 404 });
    expect((await getCharacterForViewer(owner, id)).canEdit).toBe(true);
    expect((await getCharacterForViewer(admin, id)).canEdit).toBe(true);
  });

  it("unlisted characters are readable by link but not listed; only owners edit", async () => {
    const { id } = await newCharacter("Linked", "UNLISTED");
    const seen = await getCharacterForViewer(other, id);
    expect(seen.canEdit).toBe(false);
    await expect(saveCharacterVersion(other, id, { profile: emptyProfile("Hijack"), tags: [] })).rejects.toMatchObject({
      status: 403,
    });
    const gallery = await listGallery({ search: "linked", sort: "updated", page: 1, pageSize: 50 });
    expect(gallery.items.map((item) => item.id)).not.toContain(id);
  });

  it("forking copies the current version and records the source", async () => {
    const { id } = await newCharacter("Forkable", "PUBLIC");
    const fork = await forkCharacter(other, id);
    const copy = await getCharacterForViewer(other, fork.id);
    expect(copy.ownerId).toBe(other.id);
    expect(copy.forkedFrom?.id).toBe(id);
    expect(copy.origin).toBe("FORKED");
    expect(copy.profile.name).toBe("Forkable");
  });

  it("soft delete hides from lists; the owner can still read but not edit; others get 404", async () => {
    const { id } = await newCharacter("Doomed", "PUBLIC");
    await softDeleteCharacter(owner, id);
    expect(
      (await listOwned(owner.id, { sort: "updated", page: 1, pageSize: 100 })).items.map((c) => c.id),
    ).not.toContain(id);
    const stillThere = await getCharacterForViewer(owner, id);
    expect(stillThere.deletedAt).not.toBeNull();
    expect(stillThere.canEdit).toBe(false);
    await expect(getCharacterForViewer(other, id)).rejects.toMatchObject({ status: 404 });
    await expect(setVisibility(owner, id, "PRIVATE")).rejects.toMatchObject({ status: 403 });
  });
});

describe("gallery", () => {
  it("searches name, tags and description, filters by tag, and paginates in the database", async () => {
    const marker = `zq${Math.random().toString(36).slice(2, 8)}`;
    for (let i = 0; i < 5; i++)
      await newCharacter(`${marker} ${i}`, "PUBLIC", i % 2 === 0 ? ["even", marker] : ["odd"]);
    const all = await listGallery({ search: marker, sort: "name", page: 1, pageSize: 2 });
    expect(all.total).toBe(5);
    expect(all.pages).toBe(3);
    expect(all.items.map((item) => item.name)).toEqual([`${marker} 0`, `${marker} 1`]);
    const even = await listGallery({ search: marker, tag: "even", sort: "name", page: 1, pageSize: 10 });
    expect(even.items.map((item) => item.name)).toEqual([`${marker} 0`, `${marker} 2`, `${marker} 4`]);
    const byTag = await listGallery({ search: marker.toUpperCase(), sort: "name", page: 3, pageSize: 2 });
    expect(byTag.items.map((item) => item.name)).toEqual([`${marker} 4`]);
  });
});
