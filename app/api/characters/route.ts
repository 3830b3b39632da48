import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { createCharacter, listGallery, listOwned } from "@/lib/characters/queries";
import { listQuerySchema, saveCharacterSchema } from "@/lib/characters/schema";
import { json, parseJsonBody, parseWith, route } from "@/lib/http";

const listSchema = listQuerySchema.extend({ scope: z.enum(["mine", "gallery"]).default("mine") });

export const GET = route(async (request) => {
  const query = parseWith(listSchema, Object.fromEntries(new URL(request.url).searchParams));
  const user = await requireUser();
  const options = { search: query.q, tag: query.tag, sort: query.sort, page: query.page, pageSize: query.pageSize };
  return json(query.scope === "gallery" ? await listGallery(options) : await listOwned(user.id, options));
});

export const POST = route(async (request) => {
  const body = await parseJsonBody(request, saveCharacterSchema, 2 * 1024 * 1024);
  const user = await requireUser();
  const created = await createCharacter({
    ownerId: user.id,
    profile: body.profile,
    tags: body.tags,
    visibility: body.visibility,
    note: body.note,
  });
  return json(created, { status: 201 });
});
