import "server-only";
import { db } from "./db";
import { DEAD_AFTER_MS } from "./jobs/worker";

/** Counts for the admin overview page. */
export async function adminOverview() {
  const since = new Date(Date.now() - DEAD_AFTER_MS);
  const [users, admins, consenting, workers] = await Promise.all([
    db.user.count(),
    db.user.count({ where: { role: "ADMIN" } }),
    db.user.count({ where: { trainingConsent: true } }),
    db.workerProcess.findMany({ where: { lastSeenAt: { gte: since } }, orderBy: { startedAt: "asc" } }),
  ]);
  return { users, admins, consenting, workers };
}
