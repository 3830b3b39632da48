import "server-only";
// When a user withdraws training consent or deletes their account, every sample derived from
// their data — feedback rows and synthetic repairs of their replies alike — is erased: the content
// is wiped, the row stays as a tombstone (state ERASED, so dataset versions can count what was
// redacted), their feedback events lose their text, and the removal is written to the audit log.
import type { Prisma } from "@/generated/prisma/client";

export async function eraseUserSamples(
  tx: Prisma.TransactionClient,
  userId: string,
  reason: "consent_withdrawn" | "account_deleted",
): Promise<number> {
  const { count } = await tx.trainingSample.updateMany({
    where: { userId, state: { not: "ERASED" } },
    data: { state: "ERASED", prompt: [], chosen: "", rejected: null, label: null, erasedAt: new Date() },
  });
  const seeds = await tx.repairSeed.deleteMany({ where: { userId, consumedAt: null } });
  // The event log keeps what happened (kind, thumb, ids) but not what was said, and leaves the exports.
  await tx.feedbackEvent.updateMany({ where: { userId }, data: { prompt: [], comment: null, consented: false } });
  await tx.auditLog.create({
    data: {
      actorId: userId,
      action: "samples.erased",
      targetType: "user",
      targetId: userId,
      details: { reason, samples: count, repairSeeds: seeds.count },
    },
  });
  return count;
}
