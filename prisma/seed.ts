// First-run data: an admin account (from ADMIN_EMAIL / ADMIN_PASSWORD, or generated and printed
// once). Idempotent: running it again changes nothing that exists.
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { createUser, getUserByEmail } from "@/lib/users/queries";

export type SeedReport = { admin: { email: string; generatedPassword?: string; created: boolean } | null };

export async function seed(log: (message: string) => void = console.log): Promise<SeedReport> {
  const email = process.env.ADMIN_EMAIL?.trim().toLowerCase();
  const password = process.env.ADMIN_PASSWORD;
  if (email) {
    if (await getUserByEmail(email)) return { admin: { email, created: false } };
    if (!password) {
      log(`ADMIN_EMAIL is set but ADMIN_PASSWORD is not; sign up as ${email} to become admin.`);
      return { admin: null };
    }
    await createUser({ email, name: "Admin", password, role: "ADMIN" });
    log(`Created admin ${email} (password from ADMIN_PASSWORD).`);
    return { admin: { email, created: true } };
  }
  if ((await db.user.count()) > 0) return { admin: null };
  const generatedEmail = "admin@troupe.local";
  const generatedPassword = randomBytes(12).toString("base64url");
  await createUser({ email: generatedEmail, name: "Admin", password: generatedPassword, role: "ADMIN" });
  const banner = "=".repeat(64);
  log(
    `${banner}\n  Created the first admin account:\n    email:    ${generatedEmail}\n    password: ${generatedPassword}\n  Change it by setting ADMIN_EMAIL / ADMIN_PASSWORD, or keep it safe.\n${banner}`,
  );
  return { admin: { email: generatedEmail, generatedPassword, created: true } };
}
