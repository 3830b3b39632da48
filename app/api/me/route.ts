import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { json, parseJsonBody, route } from "@/lib/http";
import { deleteUser } from "@/lib/users/queries";
import { deleteAccountSchema } from "@/lib/users/schema";

export const GET = route(async () => {
  const user = await requireUser();
  return json({ user });
});

export const DELETE = route(async (request) => {
  const body = await parseJsonBody(request, deleteAccountSchema);
  const user = await requireUser();
  if (body.confirmEmail !== user.email) {
    throw new AppError("bad_request:confirmation", "confirmEmail must be your account's email.");
  }
  await deleteUser(user.id, user.id);
  return new Response(null, { status: 204 });
});
