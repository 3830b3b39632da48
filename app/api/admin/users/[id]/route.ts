import { z } from "zod";
import { canChangeRole } from "@/lib/auth/permissions";
import { requireRole } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { json, parseJsonBody, parseWith, recordIdSchema, route } from "@/lib/http";
import { changeRole } from "@/lib/users/queries";
import { roleSchema } from "@/lib/users/schema";

const bodySchema = z.object({ role: roleSchema });

export const PATCH = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const body = await parseJsonBody(request, bodySchema);
  const id = parseWith(recordIdSchema, (await params).id);
  const admin = await requireRole("ADMIN");
  if (!canChangeRole(admin, id)) throw new AppError("forbidden:own_role", "You cannot change your own role.");
  return json({ user: await changeRole(admin.id, id, body.role) });
});
