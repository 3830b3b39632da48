import { requireUser } from "@/lib/auth/session";
import {
  getCharacterForViewer,
  saveCharacterVersion,
  setVisibility,
  softDeleteCharacter,
} from "@/lib/characters/queries";
import { characterIdSchema, saveCharacterSchema } from "@/lib/characters/schema";
import { json, parseJsonBody, parseWith, route } from "@/lib/http";

type Context = { params: Promise<{ id: string }> };

export const GET = route<Context>(async (_request, { params }) => {
  const id = parseWith(characterIdSchema, (await params).id);
  const user = await requireUser();
  const character = await getCharacterForViewer(user, id);
  return json({
    id: character.id,
    name: character.name,
    visibility: character.visibility,
    tags: character.tags,
    version: character.versionCount,
    versionId: character.currentVersion.id,
    ownerId: character.ownerId,
    deleted: character.deletedAt !== null,
    canEdit: character.canEdit,
    profile: character.profile,
  });
});

/** Save a new version (and the visibility). */
export const PUT = route<Context>(async (request, { params }) => {
  const id = parseWith(characterIdSchema, (await params).id);
  const body = await parseJsonBody(request, saveCharacterSchema, 2 * 1024 * 1024);
  const user = await requireUser();
  const saved = await saveCharacterVersion(user, id, {
    profile: body.profile,
    tags: body.tags,
    note: body.note,
    ...(body.expectedVersion ? { expectedVersion: body.expectedVersion } : {}),
  });
  await setVisibility(user, id, body.visibility);
  return json(saved);
});

export const DELETE = route<Context>(async (_request, { params }) => {
  const id = parseWith(characterIdSchema, (await params).id);
  const user = await requireUser();
  await softDeleteCharacter(user, id);
  return new Response(null, { status: 204 });
});
