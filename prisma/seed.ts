// First-run data: an admin account (from ADMIN_EMAIL / ADMIN_PASSWORD, or generated and printed
// once) and Troupe's sample characters. Idempotent: running it again changes nothing that exists.
import { randomBytes } from "node:crypto";
import { createCharacter } from "@/lib/characters/queries";
import { sampleCharacters } from "@/lib/characters/samples";
import { db } from "@/lib/db";
import { createUser, getUserByEmail } from "@/lib/users/queries";

type SeededAdmin = { email: string; generatedPassword?: string; created: boolean } | null;
export type SeedReport = { admin: SeededAdmin; samples: number };

async function seedAdmin(log: (message: string) => void): Promise<SeededAdmin> {
  const email = process.env.ADMIN_EMAIL?.trim().toLowerCase();
  const password = process.env.ADMIN_PASSWORD;
  if (email) {
    if (await getUserByEmail(email)) return { email, created: false };
    if (!password) {
      log(`ADMIN_EMAIL is set but ADMIN_PASSWORD is not; sign up as ${email} to become admin.`);
      return null;
    }
    await createUser({ email, name: "Admin", password, role: "ADMIN" });
    log(`Created admin ${email} (password from ADMIN_PASSWORD).`);
    return { email, created: true };
  }
  if ((await db.user.count()) > 0) return null;
  const generatedEmail = "admin@troupe.local";
  const generatedPassword = randomBytes(12).toString("base64url");
  await createUser({ email: generatedEmail, name: "Admin", password: generatedPassword, role: "ADMIN" });
  const banner = "=".repeat(64);
  log(
    `${banner}\n  Created the first admin account:\n    email:    ${generatedEmail}\n    password: ${generatedPassword}\n  Change it by setting ADMIN_EMAIL / ADMIN_PASSWORD, or keep it safe.\n${banner}`,
  );
  return { email: generatedEmail, generatedPassword, created: true };
}

/** Public sample characters, owned by the first admin, each added once. */
async function seedSamples(log: (message: string) => void): Promise<number> {
  const owner = await db.user.findFirst({ where: { role: "ADMIN" }, orderBy: { createdAt: "asc" } });
  if (!owner) return 0;
  let created = 0;
  for (const sample of sampleCharacters()) {
    if (await db.character.findFirst({ where: { ownerId: owner.id, name: sample.profile.name } })) continue;
    await createCharacter({ ownerId: owner.id, ...sample, visibility: "PUBLIC", note: "Troupe sample character" });
    created++;
  }
  if (created > 0) log(`Added ${created} sample character(s).`);
  return created;
}

export async function seed(log: (message: string) => void = console.log): Promise<SeedReport> {
  const admin = await seedAdmin(log);
  return { admin, samples: await seedSamples(log) };
}
