import { beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assertTestDatabase } from "@/lib/testing/db";
import { changeRole, createUser, deleteUser, setTrainingConsent } from "./queries";

beforeAll(assertTestDatabase);

const unique = () => `u-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@unit.troupe`;

describe("users", () => {
  it("hashes the password and never returns the hash", async () => {
    const user = await createUser({ email: unique(), name: "U", password: "pass-word-1" });
    expect(user).not.toHaveProperty("passwordHash");
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).not.toContain("pass-word-1");
    expect(await verifyPassword("pass-word-1", stored.passwordHash)).toBe(true);
  });

  it("refuses a duplicate email with a conflict", async () => {
    const email = unique();
    await createUser({ email, name: "U", password: "pass-word-1" });
    await expect(createUser({ email, name: "U2", password: "pass-word-1" })).rejects.toMatchObject({
      code: "conflict:email",
    });
  });

  it("records every consent change with its time", async () => {
    const user = await createUser({ email: unique(), name: "U", password: "pass-word-1" });
    const granted = await setTrainingConsent(user.id, true);
    expect(granted.trainingConsent).toBe(true);
    expect(granted.consentChangedAt).toBeInstanceOf(Date);
    await setTrainingConsent(user.id, true);
    await setTrainingConsent(user.id, false);
    const events = await db.consentEvent.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((event) => event.granted)).toEqual([true, false]);
  });

  it("keeps at least one admin", async () => {
    const admins = await db.user.findMany({ where: { role: "ADMIN" } });
    const extra = await createUser({ email: unique(), name: "A", password: "pass-word-1", role: "ADMIN" });
    // Demote everyone but `extra`; demoting `extra` then must fail.
    for (const admin of admins) await db.user.update({ where: { id: admin.id }, data: { role: "USER" } });
    try {
      await expect(changeRole("actor", extra.id, "USER")).rejects.toBeInstanceOf(AppError);
      await expect(deleteUser(extra.id, extra.id)).rejects.toMatchObject({ code: "conflict:last_admin" });
    } finally {
      for (const admin of admins) await db.user.update({ where: { id: admin.id }, data: { role: "ADMIN" } });
    }
    await changeRole("actor", extra.id, "USER");
  });

  it("deleting an account removes it and audits the deletion", async () => {
    const user = await createUser({ email: unique(), name: "U", password: "pass-word-1" });
    await setTrainingConsent(user.id, true);
    await deleteUser(user.id, user.id);
    expect(await db.user.findUnique({ where: { id: user.id } })).toBeNull();
    expect(await db.consentEvent.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.auditLog.count({ where: { targetId: user.id, action: "user.deleted" } })).toBe(1);
  });
});
