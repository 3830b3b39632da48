// Who a CLI command acts as. The CLI runs with the machine's database credentials, so it may
// act for any account, but it always names one: commands run with that account's permissions.
import { ensureDatabaseReady } from "@/lib/db/ready";
import { parseWith } from "@/lib/http";
import { findActor } from "@/lib/users/queries";
import { emailSchema } from "@/lib/users/schema";
import { CliError, log } from "./output";

export async function resolveUser(email?: string): Promise<{ id: string; role: "USER" | "ADMIN"; email: string }> {
  if (email) {
    const user = await findActor(parseWith(emailSchema, email));
    if (!user) throw new CliError(`No account with email ${email}.`);
    return user;
  }
  const admin = await findActor();
  if (!admin) throw new CliError("No admin account yet; create one with `troupe users create --admin` or pass --user.");
  return admin;
}

/** An admin-only command's first step: the database ready, then the admin it acts as. */
export async function commandAdmin(email?: string) {
  await ensureDatabaseReady(log);
  return resolveAdmin(email);
}

/** The account an admin-only command acts as (audited as it); refuses anyone else. */
export async function resolveAdmin(email?: string) {
  const user = await resolveUser(email);
  if (user.role !== "ADMIN") throw new CliError(`${user.email} is not an admin.`);
  return user;
}
