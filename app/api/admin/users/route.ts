import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { json, parseWith, route } from "@/lib/http";
import { listUsers } from "@/lib/users/queries";

const querySchema = z.object({
  cursor: z.string().max(64).optional(),
  take: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().max(200).optional(),
});

export const GET = route(async (request) => {
  const query = parseWith(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  await requireRole("ADMIN");
  return json(await listUsers({ cursor: query.cursor, take: query.take, query: query.q }));
});
