import { requireUser } from "@/lib/auth/session";
import { readAvatarUpload } from "@/lib/characters/avatar";
import { getAvatarForViewer, setAvatar } from "@/lib/characters/queries";
import { characterIdSchema } from "@/lib/characters/schema";
import { parseWith, route } from "@/lib/http";

type Context = { params: Promise<{ id: string }> };

export const GET = route<Context>(async (_request, { params }) => {
  const id = parseWith(characterIdSchema, (await params).id);
  const user = await requireUser();
  const avatar = await getAvatarForViewer(user, id);
  return new Response(Buffer.from(avatar.bytes), {
    headers: {
      "Content-Type": avatar.mime,
      "Cache-Control": "private, max-age=86400",
      // Never let an uploaded image be interpreted as anything else (next.config.js also sandboxes it).
      "X-Content-Type-Options": "nosniff",
    },
  });
});

/** Replace the avatar with the raw image body (PNG, JPEG, WebP or GIF). */
export const PUT = route<Context>(async (request, { params }) => {
  const id = parseWith(characterIdSchema, (await params).id);
  const user = await requireUser();
  const avatar = await readAvatarUpload(request);
  await setAvatar(user, id, avatar);
  return new Response(null, { status: 204 });
});

export const DELETE = route<Context>(async (_request, { params }) => {
  const id = parseWith(characterIdSchema, (await params).id);
  const user = await requireUser();
  await setAvatar(user, id, null);
  return new Response(null, { status: 204 });
});
