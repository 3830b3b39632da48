import "server-only";
// Feedback statistics for admins, computed in the database: per model version, per character and
// per A/B arm — replies, thumbs-up rate, regenerate rate, edit rate, arena win rate — and daily
// series of the two rates users move most. A "reply" is a finished, generated (not greeting, not
// edited) assistant message; a regeneration is a reply with an earlier generated sibling.
import { pool } from "@/lib/db";

export type StatsRow = {
  key: string;
  label: string;
  replies: number;
  thumbsUp: number;
  thumbsDown: number;
  regenerations: number;
  edits: number;
  arenaBattles: number;
  arenaWins: number;
  arenaTies: number;
};

export type RateRow = StatsRow & {
  thumbsUpRate: number | null;
  regenerateRate: number | null;
  editRate: number | null;
  /** Wins plus half the ties, over rounds played. */
  arenaWinRate: number | null;
};

const GROUPS = {
  model: {
    key: `COALESCE(m."modelVersionId", 'env:' || COALESCE(m."modelId", '?'))`,
    label: `COALESCE(v.name, m."modelId", '?')`,
  },
  character: { key: `c."characterId"`, label: `ch.name` },
  arm: { key: `c.variant`, label: `'Variant ' || c.variant` },
} as const;

export type StatsGroup = keyof typeof GROUPS;

/**
 * Whether reply `message` is a regeneration: it has an earlier generated sibling. An arena round's
 * second answer is a sibling by design, not a regeneration, so only chat conversations count.
 */
const regenerated = (message: string, mode: string) =>
  `(${mode} = 'CHAT' AND EXISTS (
     SELECT 1 FROM "Message" o
      WHERE o."parentId" = ${message}."parentId" AND o.role = 'ASSISTANT' AND o."editedFromId" IS NULL
        AND NOT o."isGreeting" AND o."createdAt" < ${message}."createdAt"))`;

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function withRates(row: StatsRow): RateRow {
  return {
    ...row,
    thumbsUpRate: ratio(row.thumbsUp, row.thumbsUp + row.thumbsDown),
    regenerateRate: ratio(row.regenerations, row.replies),
    editRate: ratio(row.edits, row.replies),
    arenaWinRate: ratio(row.arenaWins + row.arenaTies / 2, row.arenaBattles),
  };
}

export async function feedbackStats(group: StatsGroup, options: { experimentId?: string; since?: Date } = {}) {
  const { key, label } = GROUPS[group];
  const params: unknown[] = [options.since ?? new Date(0)];
  let scope = `m."createdAt" >= $1`;
  if (options.experimentId) {
    params.push(options.experimentId);
    scope += ` AND c."experimentId" = $${params.length} AND c.variant IS NOT NULL`;
  }
  const { rows } = await pool.query<Record<string, string | number | null>>(
    `WITH scoped AS (
       SELECT m.id, m."parentId", m."createdAt", m."editedFromId", m."isGreeting", m.status, m."modelVersionId",
              c.mode, ${key} AS key, ${label} AS label
         FROM "Message" m
         JOIN "Conversation" c ON c.id = m."conversationId"
         JOIN "Character" ch ON ch.id = c."characterId"
         LEFT JOIN "ModelVersion" v ON v.id = m."modelVersionId"
        WHERE m.role = 'ASSISTANT' AND NOT m."isGreeting" AND ${scope}
     ), replies AS (
       SELECT s.*, ${regenerated("s", "s.mode")} AS regenerated
         FROM scoped s
        WHERE s."editedFromId" IS NULL AND s.status IN ('COMPLETE', 'STOPPED')
     ), arena AS (
       SELECT s.key,
              count(*) AS battles,
              count(*) FILTER (WHERE (b.vote = 'A' AND b."messageAId" = s.id) OR (b.vote = 'B' AND b."messageBId" = s.id)) AS wins,
              count(*) FILTER (WHERE b.vote IN ('TIE', 'BOTH_BAD')) AS ties
         FROM scoped s
         JOIN "ArenaBattle" b ON b.vote IS NOT NULL AND (b."messageAId" = s.id OR b."messageBId" = s.id)
        GROUP BY s.key
     ), reply_counts AS (
       SELECT key, count(*) AS replies, count(*) FILTER (WHERE regenerated) AS regenerations FROM replies GROUP BY key
     ), edit_counts AS (
       SELECT key, count(*) AS edits FROM scoped WHERE "editedFromId" IS NOT NULL GROUP BY key
     ), rating_counts AS (
       SELECT t.key, count(*) FILTER (WHERE mr.value > 0) AS up, count(*) FILTER (WHERE mr.value < 0) AS down
         FROM "MessageRating" mr JOIN scoped t ON t.id = mr."messageId"
        GROUP BY t.key
     ), labels AS (
       SELECT key, min(label) AS label FROM scoped GROUP BY key
     )
     SELECT l.key, l.label, COALESCE(rc.replies, 0) AS replies, COALESCE(rc.regenerations, 0) AS regenerations,
            COALESCE(ec.edits, 0) AS edits, COALESCE(ra.up, 0) AS "thumbsUp", COALESCE(ra.down, 0) AS "thumbsDown",
            COALESCE(a.battles, 0) AS "arenaBattles", COALESCE(a.wins, 0) AS "arenaWins", COALESCE(a.ties, 0) AS "arenaTies"
       FROM labels l
       LEFT JOIN reply_counts rc ON rc.key = l.key
       LEFT JOIN edit_counts ec ON ec.key = l.key
       LEFT JOIN rating_counts ra ON ra.key = l.key
       LEFT JOIN arena a ON a.key = l.key
      ORDER BY replies DESC, l.label
      LIMIT 200`,
    params,
  );
  return rows.map((row) =>
    withRates({
      key: String(row.key),
      label: String(row.label),
      replies: Number(row.replies),
      thumbsUp: Number(row.thumbsUp),
      thumbsDown: Number(row.thumbsDown),
      regenerations: Number(row.regenerations),
      edits: Number(row.edits),
      arenaBattles: Number(row.arenaBattles),
      arenaWins: Number(row.arenaWins),
      arenaTies: Number(row.arenaTies),
    }),
  );
}

export type DailySeries = { name: string; points: { t: string; value: number | null }[] };

/** Daily thumbs-up and regenerate rates per model over the last `days` days (top models by replies). */
export async function dailyRates(
  days = 30,
  maxSeries = 6,
): Promise<{ thumbsUp: DailySeries[]; regenerate: DailySeries[] }> {
  const { rows } = await pool.query<{
    day: string;
    label: string;
    replies: string;
    regenerated: string;
    up: string;
    rated: string;
  }>(
    `WITH replies AS (
       SELECT m.id, to_char(date_trunc('day', m."createdAt"), 'YYYY-MM-DD') AS day,
              COALESCE(v.name, m."modelId", '?') AS label,
              ${regenerated("m", "c.mode")} AS regenerated
         FROM "Message" m
         JOIN "Conversation" c ON c.id = m."conversationId"
         LEFT JOIN "ModelVersion" v ON v.id = m."modelVersionId"
        WHERE m.role = 'ASSISTANT' AND NOT m."isGreeting" AND m."editedFromId" IS NULL
          AND m.status IN ('COMPLETE', 'STOPPED') AND m."createdAt" >= now() - make_interval(days => $1)
     )
     SELECT r.day, r.label, count(*) AS replies, count(*) FILTER (WHERE r.regenerated) AS regenerated,
            count(mr.value) FILTER (WHERE mr.value > 0) AS up, count(mr.value) AS rated
       FROM replies r LEFT JOIN "MessageRating" mr ON mr."messageId" = r.id
      GROUP BY r.day, r.label
      ORDER BY r.day`,
    [days],
  );
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.label, (totals.get(row.label) ?? 0) + Number(row.replies));
  const top = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, maxSeries)
    .map(([label]) => label);
  const series = (value: (row: (typeof rows)[number]) => number | null): DailySeries[] =>
    top.map((name) => ({
      name,
      points: rows.filter((row) => row.label === name).map((row) => ({ t: row.day, value: value(row) })),
    }));
  return {
    thumbsUp: series((row) => ratio(Number(row.up), Number(row.rated))),
    regenerate: series((row) => ratio(Number(row.regenerated), Number(row.replies))),
  };
}
