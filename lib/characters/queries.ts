import "server-only";
import { createHash } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import type { CharacterOrigin, Visibility } from "@/generated/prisma/enums";
import { type Actor, canEditCharacter, canForkCharacter, canViewCharacter } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { type Profile, profileSchema } from "./schema";

export type AvatarInput = { bytes: Uint8Array; mime: string; width: number; height: number };

const listFields = {
  id: true,
  ownerId: true,
  name: true,
  tagline: true,
  tags: true,
  visibility: true,
  origin: true,
  avatarId: true,
  versionCount: true,
  deletedAt: true,
  createdAt: true,
  updatedAt: true,
  owner: { select: { name: true } },
} satisfies Prisma.CharacterSelect;

export type CharacterListItem = Prisma.CharacterGetPayload<{ select: typeof listFields }>;

/** The same profile always hashes the same: keys sorted, so field order does not matter. */
export function profileHash(profile: Profile, tags: string[]): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([key, item]) => [key, canonical(item)]),
          )
        : value;
  return createHash("sha256")
    .update(JSON.stringify(canonical({ profile, tags })))
    .digest("hex");
}

export function taglineOf(profile: Profile): string {
  const source = profile.description || profile.personality || profile.scenario || profile.background;
  const firstLine = source.trim().split(/\n/)[0] ?? "";
  return firstLine.length > 160 ? `${firstLine.slice(0, 157)}…` : firstLine;
}

function searchTextOf(profile: Profile, tags: string[]): string {
  return [
    profile.name,
    profile.nickname,
    ...profile.aliases,
    taglineOf(profile),
    ...tags,
    profile.description.slice(0, 2000),
  ]
    .join(" ")
    .toLowerCase();
}

/** Profiles are zod-validated plain JSON; Prisma's JSON input type cannot see that. */
function profileJson(profile: Profile): Prisma.InputJsonObject {
  return profile as unknown as Prisma.InputJsonObject;
}

function denormalized(profile: Profile, tags: string[]) {
  return { name: profile.name, tagline: taglineOf(profile), tags, searchText: searchTextOf(profile, tags) };
}

async function storeAvatar(tx: Prisma.TransactionClient, avatar: AvatarInput): Promise<string> {
  const created = await tx.avatar.create({
    data: {
      mime: avatar.mime,
      width: avatar.width,
      height: avatar.height,
      bytes: Buffer.from(avatar.bytes),
      sha256: createHash("sha256").update(avatar.bytes).digest("hex"),
    },
    select: { id: true },
  });
  return created.id;
}

export async function createCharacter(input: {
  /** A caller-chosen id (synthesis derives one per item, so a retried item creates one character). */
  id?: string;
  ownerId: string;
  profile: Profile;
  tags: string[];
  visibility?: Visibility;
  origin?: CharacterOrigin;
  importFormat?: string;
  avatar?: AvatarInput;
  forkedFromId?: string;
  forkedFromVersionId?: string;
  note?: string;
  provenance?: Prisma.InputJsonValue;
}): Promise<{ id: string; versionId: string }> {
  const profile = profileSchema.parse(input.profile);
  return db.$transaction(async (tx) => {
    const avatarId = input.avatar ? await storeAvatar(tx, input.avatar) : null;
    const character = await tx.character.create({
      data: {
        ...(input.id ? { id: input.id } : {}),
        ...(input.provenance ? { provenance: input.provenance } : {}),
        ownerId: input.ownerId,
        visibility: input.visibility ?? "PRIVATE",
        origin: input.origin ?? "CREATED",
        importFormat: input.importFormat ?? null,
        forkedFromId: input.forkedFromId ?? null,
        forkedFromVersionId: input.forkedFromVersionId ?? null,
        avatarId,
        versionCount: 1,
        ...denormalized(profile, input.tags),
      },
      select: { id: true },
    });
    const version = await tx.characterVersion.create({
      data: {
        characterId: character.id,
        number: 1,
        profile: profileJson(profile),
        tags: input.tags,
        contentHash: profileHash(profile, input.tags),
        note: input.note ?? "",
        createdById: input.ownerId,
      },
      select: { id: true },
    });
    await tx.character.update({ where: { id: character.id }, data: { currentVersionId: version.id } });
    return { id: character.id, versionId: version.id };
  });
}

async function loadAccess(id: string) {
  return db.character.findUnique({
    where: { id },
    select: { id: true, ownerId: true, visibility: true, deletedAt: true, versionCount: true, currentVersionId: true },
  });
}

/** A character the actor may see, or a 404 that does not reveal whether it exists. */
export async function getCharacterForViewer(actor: Actor, id: string) {
  const character = await db.character.findUnique({
    where: { id },
    select: {
      ...listFields,
      importFormat: true,
      forkedFromId: true,
      forkedFrom: { select: { id: true, name: true, visibility: true, ownerId: true, deletedAt: true } },
      currentVersion: true,
      _count: { select: { forks: true } },
    },
  });
  const currentVersion = character?.currentVersion;
  if (!character || !currentVersion || !canViewCharacter(actor, character)) {
    throw new AppError("not_found:character", "That character does not exist or is not shared with you.");
  }
  const profile = profileSchema.parse(currentVersion.profile);
  const forkedFrom =
    character.forkedFrom && canViewCharacter(actor, character.forkedFrom)
      ? { id: character.forkedFrom.id, name: character.forkedFrom.name }
      : null;
  return { ...character, currentVersion, profile, forkedFrom, canEdit: canEditCharacter(actor, character) };
}

async function requireEditable(actor: Actor, id: string) {
  const character = await loadAccess(id);
  if (!character || !canViewCharacter(actor, character)) {
    throw new AppError("not_found:character", "That character does not exist or is not shared with you.");
  }
  if (!canEditCharacter(actor, character)) {
    throw new AppError(
      "forbidden:character",
      character.deletedAt
        ? "This character was deleted and is read-only."
        : "Only the owner can change this character.",
    );
  }
  return character;
}

/**
 * Save a new immutable version. `expectedVersion` guards against overwriting someone else's
 * save made in between (409); an unchanged profile creates no version.
 */
export async function saveCharacterVersion(
  actor: Actor,
  id: string,
  input: { profile: Profile; tags: string[]; note?: string; expectedVersion?: number },
): Promise<{ versionId: string; number: number; changed: boolean }> {
  await requireEditable(actor, id);
  const profile = profileSchema.parse(input.profile);
  const hash = profileHash(profile, input.tags);
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ versionCount: number; currentVersionId: string | null }[]>`
      SELECT "versionCount", "currentVersionId" FROM "Character" WHERE id = ${id} FOR UPDATE`;
    if (!locked) throw new AppError("not_found:character");
    if (input.expectedVersion !== undefined && input.expectedVersion !== locked.versionCount) {
      throw new AppError(
        "conflict:character_version",
        `This character was saved elsewhere (now version ${locked.versionCount}). Reload to see the changes.`,
      );
    }
    const current = locked.currentVersionId
      ? await tx.characterVersion.findUnique({
          where: { id: locked.currentVersionId },
          select: { id: true, contentHash: true },
        })
      : null;
    if (current && current.contentHash === hash) {
      return { versionId: current.id, number: locked.versionCount, changed: false };
    }
    const number = locked.versionCount + 1;
    const version = await tx.characterVersion.create({
      data: {
        characterId: id,
        number,
        profile: profileJson(profile),
        tags: input.tags,
        contentHash: hash,
        note: input.note ?? "",
        createdById: actor.id,
      },
      select: { id: true },
    });
    await tx.character.update({
      where: { id },
      data: { currentVersionId: version.id, versionCount: number, ...denormalized(profile, input.tags) },
    });
    return { versionId: version.id, number, changed: true };
  });
}

export async function setVisibility(actor: Actor, id: string, visibility: Visibility): Promise<void> {
  await requireEditable(actor, id);
  await db.character.update({ where: { id }, data: { visibility } });
}

export async function setAvatar(actor: Actor, id: string, avatar: AvatarInput | null): Promise<void> {
  await requireEditable(actor, id);
  await db.$transaction(async (tx) => {
    const previous = await tx.character.findUniqueOrThrow({ where: { id }, select: { avatarId: true } });
    const avatarId = avatar ? await storeAvatar(tx, avatar) : null;
    await tx.character.update({ where: { id }, data: { avatarId } });
    if (previous.avatarId) await tx.avatar.delete({ where: { id: previous.avatarId } });
  });
}

/** Soft delete: gone from lists, still readable by its owner so chats keep working read-only. */
export async function softDeleteCharacter(actor: Actor, id: string): Promise<void> {
  await requireEditable(actor, id);
  await db.$transaction(async (tx) => {
    await tx.character.update({ where: { id }, data: { deletedAt: new Date() } });
    await tx.auditLog.create({
      data: { actorId: actor.id, action: "character.deleted", targetType: "character", targetId: id },
    });
  });
}

export async function forkCharacter(actor: Actor, id: string): Promise<{ id: string }> {
  const source = await db.character.findUnique({
    where: { id },
    select: { id: true, ownerId: true, visibility: true, deletedAt: true, avatar: true, currentVersion: true },
  });
  if (!source || !canViewCharacter(actor, source) || !source.currentVersion) {
    throw new AppError("not_found:character", "That character does not exist or is not shared with you.");
  }
  if (!canForkCharacter(actor, source))
    throw new AppError("forbidden:character", "Deleted characters cannot be forked.");
  const profile = profileSchema.parse(source.currentVersion.profile);
  const created = await createCharacter({
    ownerId: actor.id,
    profile,
    tags: source.currentVersion.tags,
    origin: "FORKED",
    forkedFromId: source.id,
    forkedFromVersionId: source.currentVersion.id,
    note: `Forked from version ${source.currentVersion.number}`,
    ...(source.avatar
      ? {
          avatar: {
            bytes: source.avatar.bytes,
            mime: source.avatar.mime,
            width: source.avatar.width,
            height: source.avatar.height,
          },
        }
      : {}),
  });
  return { id: created.id };
}

export async function listVersions(actor: Actor, id: string) {
  await getCharacterForViewer(actor, id);
  return db.characterVersion.findMany({
    where: { characterId: id },
    orderBy: { number: "desc" },
    select: { id: true, number: true, note: true, createdAt: true, contentHash: true },
  });
}

export async function getVersion(actor: Actor, id: string, number: number) {
  await getCharacterForViewer(actor, id);
  const version = await db.characterVersion.findUnique({ where: { characterId_number: { characterId: id, number } } });
  if (!version) throw new AppError("not_found:character_version", `Version ${number} does not exist.`);
  return { ...version, profile: profileSchema.parse(version.profile) };
}

export async function getAvatarForViewer(actor: Actor, id: string) {
  const character = await db.character.findUnique({
    where: { id },
    select: { ownerId: true, visibility: true, deletedAt: true, avatar: true },
  });
  if (!character || !canViewCharacter(actor, character) || !character.avatar) {
    throw new AppError("not_found:avatar", "No avatar.");
  }
  return character.avatar;
}

export type ListQuery = {
  search?: string;
  tag?: string;
  sort: "updated" | "created" | "name";
  page: number;
  pageSize: number;
};

function orderOf(sort: ListQuery["sort"]): Prisma.CharacterOrderByWithRelationInput[] {
  if (sort === "name") return [{ name: "asc" }, { id: "asc" }];
  if (sort === "created") return [{ createdAt: "desc" }, { id: "asc" }];
  return [{ updatedAt: "desc" }, { id: "asc" }];
}

async function page(where: Prisma.CharacterWhereInput, query: ListQuery) {
  const filters: Prisma.CharacterWhereInput[] = [where];
  const term = query.search?.trim().toLowerCase();
  if (term) filters.push({ searchText: { contains: term } });
  if (query.tag) filters.push({ tags: { has: query.tag.toLowerCase() } });
  const [items, total] = await Promise.all([
    db.character.findMany({
      where: { AND: filters },
      select: listFields,
      orderBy: orderOf(query.sort),
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
    db.character.count({ where: { AND: filters } }),
  ]);
  return {
    items,
    total,
    page: query.page,
    pageSize: query.pageSize,
    pages: Math.max(1, Math.ceil(total / query.pageSize)),
  };
}

/** The public gallery: public, not deleted, searched and paginated in the database. */
export function listGallery(query: ListQuery) {
  return page({ visibility: "PUBLIC", deletedAt: null }, query);
}

export function listOwned(ownerId: string, query: ListQuery) {
  return page({ ownerId, deletedAt: null }, query);
}

/** Popular tags in the public gallery, for the tag filter. */
export async function galleryTags(limit = 30): Promise<{ tag: string; count: number }[]> {
  const rows = await db.$queryRaw<{ tag: string; count: bigint }[]>`
    SELECT tag, count(*) AS count FROM "Character", unnest(tags) AS tag
    WHERE visibility = 'PUBLIC' AND "deletedAt" IS NULL
    GROUP BY tag ORDER BY count DESC, tag ASC LIMIT ${limit}`;
  return rows.map((row) => ({ tag: row.tag, count: Number(row.count) }));
}
