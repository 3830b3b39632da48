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
  // Text and everything computed from it goes; the row stays as a tombstone, its move logged.
  const [erased] = await tx.$queryRawUnsafe<{ count: bigint }[]>(
    `WITH picked AS (
       SELECT id, state FROM "TrainingSample" WHERE "userId" = $1 AND state <> 'ERASED' FOR UPDATE
     ), moved AS (
       UPDATE "TrainingSample" t
          SET state = 'ERASED', prompt = '[]', chosen = '', rejected = NULL, label = NULL, "erasedAt" = now(),
              checks = NULL, judgement = NULL, bands = '{}', flags = '{}', "updatedAt" = now(),
              -- What the user wrote goes from the lineage too; the key is freed, so signals given
              -- after consent comes back make new rows instead of finding the tombstone.
              lineage = t.lineage - 'comment' - 'reasons' - 'revisionNote', "dedupeKey" = 'erased:' || t.id
         FROM picked WHERE t.id = picked.id
       RETURNING t.id, picked.state
     ), logged AS (
       INSERT INTO "SampleReview" (id, "sampleId", "reviewerId", "fromState", "toState", reason, "createdAt")
       SELECT gen_random_uuid()::text, id, NULL, state, 'ERASED', $2, now() FROM moved
       RETURNING 1
     )
     SELECT count(*) AS count FROM logged`,
    userId,
    reason,
  );
  const count = Number(erased?.count ?? 0);
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
