import "server-only";
import type { Role } from "@/generated/prisma/enums";
import { hashPassword } from "@/lib/auth/password";
import { db, isUniqueViolation, pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { eraseUserSamples } from "@/lib/feedback/erasure";
import type { PublicUser } from "./schema";

const publicFields = {
  id: true,
  email: true,
  name: true,
  role: true,
  trainingConsent: true,
  consentChangedAt: true,
  createdAt: true,
} as const;

function adminEmail(): string | undefined {
  return process.env.ADMIN_EMAIL?.trim().toLowerCase() || undefined;
}

/**
 * Create an account. The very first account, and the one whose email is ADMIN_EMAIL, become
 * admins; an advisory lock makes "first" mean first even when two sign-ups race.
 */
export async function createUser(input: {
  email: string;
  name: string;
  password: string;
  role?: Role;
}): Promise<PublicUser> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('troupe:create-user'))`;
      const isFirst = (await tx.user.count()) === 0;
      const role: Role = input.role ?? (isFirst || input.email === adminEmail() ? "ADMIN" : "USER");
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash, role },
        select: publicFields,
      });
      await tx.auditLog.create({
        data: { actorId: user.id, action: "user.created", targetType: "user", targetId: user.id, details: { role } },
      });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict:email", "An account with this email already exists.", {
        fields: { email: ["An account with this email already exists."] },
      });
    }
    throw error;
  }
}

export function findCredentialsByEmail(email: string) {
  return db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, passwordHash: true },
  });
}

export function getUserById(id: string): Promise<PublicUser | null> {
  return db.user.findUnique({ where: { id }, select: publicFields });
}

export function getUserByEmail(email: string): Promise<PublicUser | null> {
  return db.user.findUnique({ where: { email }, select: publicFields });
}

/**
 * Who a CLI command acts as: the account with this email, or the first admin. Plain SQL on the pool,
 * so a command that otherwise only streams rows (a dataset export) never starts Prisma's query
 * engine — about 30 MB of a process that must stay small.
 */
export async function findActor(email?: string): Promise<{ id: string; role: "USER" | "ADMIN"; email: string } | null> {
  const { rows } = email
    ? await pool.query(`SELECT id, role, email FROM "User" WHERE email = $1`, [email])
    : await pool.query(`SELECT id, role, email FROM "User" WHERE role = 'ADMIN' ORDER BY "createdAt" LIMIT 1`);
  return rows[0] ?? null;
}

export async function listUsers(options: { cursor?: string; take?: number; query?: string } = {}) {
  const take = Math.min(options.take ?? 50, 200);
  const users = await db.user.findMany({
    where: options.query
      ? {
          OR: [
            { email: { contains: options.query, mode: "insensitive" } },
            { name: { contains: options.query, mode: "insensitive" } },
          ],
        }
      : undefined,
    select: publicFields,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: take + 1,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
  });
  const hasMore = users.length > take;
  const page = hasMore ? users.slice(0, take) : users;
  return { users: page, nextCursor: hasMore ? (page.at(-1)?.id ?? null) : null };
}

export async function setTrainingConsent(userId: string, granted: boolean): Promise<PublicUser> {
  return db.$transaction(async (tx) => {
    const current = await tx.user.findUnique({ where: { id: userId }, select: { trainingConsent: true } });
    if (!current) throw new AppError("not_found:user");
    if (current.trainingConsent === granted) {
      return (await tx.user.findUniqueOrThrow({ where: { id: userId }, select: publicFields })) as PublicUser;
    }
    const user = await tx.user.update({
      where: { id: userId },
      data: { trainingConsent: granted, consentChangedAt: new Date() },
      select: publicFields,
    });
    await tx.consentEvent.create({ data: { userId, granted } });
    if (!granted) await eraseUserSamples(tx, userId, "consent_withdrawn");
    await tx.auditLog.create({
      data: {
        actorId: userId,
        action: granted ? "consent.granted" : "consent.withdrawn",
        targetType: "user",
        targetId: userId,
      },
    });
    return user;
  });
}

export async function changeRole(actorId: string, userId: string, role: Role): Promise<PublicUser> {
  return db.$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: userId }, select: { role: true } });
    if (!target) throw new AppError("not_found:user", "That user does not exist.");
    if (target.role === "ADMIN" && role !== "ADMIN") {
      const admins = await tx.user.count({ where: { role: "ADMIN" } });
      if (admins <= 1) throw new AppError("conflict:last_admin", "Troupe needs at least one admin.");
    }
    const user = await tx.user.update({ where: { id: userId }, data: { role }, select: publicFields });
    await tx.auditLog.create({
      data: {
        actorId,
        action: "user.role_changed",
        targetType: "user",
        targetId: userId,
        details: { from: target.role, to: role },
      },
    });
    return user;
  });
}

/** Delete an account and everything that cascades from it; the audit row keeps the fact. */
export async function deleteUser(actorId: string, userId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: userId }, select: { role: true } });
    if (!target) throw new AppError("not_found:user");
    if (target.role === "ADMIN" && (await tx.user.count({ where: { role: "ADMIN" } })) <= 1) {
      throw new AppError("conflict:last_admin", "You are the only admin. Make someone else an admin first.");
    }
    await eraseUserSamples(tx, userId, "account_deleted");
    await tx.user.delete({ where: { id: userId } });
    await tx.auditLog.create({ data: { actorId, action: "user.deleted", targetType: "user", targetId: userId } });
  });
}
