// Who is asking. Every page, route handler and server action starts here. The role comes from
// the database on each request, not from the token, so a demoted admin loses access at once.
import "server-only";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import type { Role } from "@/generated/prisma/enums";
import { AppError } from "@/lib/errors";
import { getUserById } from "@/lib/users/queries";
import type { PublicUser } from "@/lib/users/schema";
import { auth } from "./index";

export type SessionUser = PublicUser;

/** The signed-in user, or null (also null when the account was deleted after sign-in). */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return getUserById(id);
});

/** For route handlers and server actions: 401 when nobody is signed in. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthorized:session");
  return user;
}

/** For route handlers and server actions: 401 anonymous, 403 without the role. */
export async function requireRole(role: Role): Promise<SessionUser> {
  const user = await requireUser();
  if (user.role !== role) throw new AppError("forbidden:role");
  return user;
}

/** For pages: send anonymous visitors to the sign-in page and back here afterwards. */
export async function requireUserPage(returnTo: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  return user;
}

/** For admin pages: sign-in redirect for anonymous visitors, a 403 page for everyone else. */
export async function requireAdminPage(returnTo: string): Promise<SessionUser> {
  const user = await requireUserPage(returnTo);
  if (user.role !== "ADMIN") forbidden();
  return user;
}

/**
 * For the chat hot path: the signed-in user's id from the session token alone (no database
 * read). Only for queries that are themselves scoped to this user, so a deleted account simply
 * finds nothing.
 */
export async function requireSessionUserId(): Promise<string> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) throw new AppError("unauthorized:session");
  return id;
}
