import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { characterIdSchema, exportFormatSchema } from "@/lib/characters/schema";
import { exportCharacter } from "@/lib/characters/transfer";
import { parseWith, route } from "@/lib/http";

const querySchema = z.object({ format: exportFormatSchema });

export const GET = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const id = parseWith(characterIdSchema, (await params).id);
  const { format } = parseWith(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const user = await requireUser();
  const file = await exportCharacter(user, id, format);
  return new Response(Buffer.from(file.body), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "Cache-Control": "private, no-store",
    },
  });
});
