// The life of a candidate training sample. New rows are checked automatically, then either go
// straight to review or wait there; a reviewer approves or rejects (with a reason). An edit makes a
// revision — a new row — so the reviewed original is never changed in place. Erased (the user
// withdrew consent) is terminal: nothing leaves it, and every way into it is audited.

export const SAMPLE_STATES = ["NEW", "AUTO_CHECKED", "NEEDS_REVIEW", "APPROVED", "REJECTED", "ERASED"] as const;
export type SampleState = (typeof SAMPLE_STATES)[number];

export const SAMPLE_TRANSITIONS: Record<SampleState, readonly SampleState[]> = {
  NEW: ["AUTO_CHECKED", "NEEDS_REVIEW", "ERASED"],
  // Back to new when its content changes before anyone reviewed it (a changed thumb, a rerun item).
  AUTO_CHECKED: ["NEEDS_REVIEW", "APPROVED", "REJECTED", "NEW", "ERASED"],
  NEEDS_REVIEW: ["APPROVED", "REJECTED", "NEW", "ERASED"],
  // A reviewer may change their mind; undoing a bulk action restores the state it had before.
  APPROVED: ["REJECTED", "NEEDS_REVIEW", "AUTO_CHECKED", "ERASED"],
  REJECTED: ["APPROVED", "NEEDS_REVIEW", "AUTO_CHECKED", "ERASED"],
  ERASED: [],
};

export function canMoveSample(from: SampleState, to: SampleState): boolean {
  return SAMPLE_TRANSITIONS[from].includes(to);
}

/** Every state a sample could move from into `to` (not counting staying where it is). */
export function statesThatCanBecome(to: SampleState): SampleState[] {
  return SAMPLE_STATES.filter((state) => state !== to && canMoveSample(state, to));
}

/** Why a move is refused, or null when it is allowed. Rejections need a reason. */
export function sampleMoveProblem(from: SampleState, to: SampleState, reason?: string): string | null {
  if (from === "ERASED") return "An erased sample cannot change: the user withdrew their consent.";
  if (!canMoveSample(from, to)) return `A ${from.toLowerCase()} sample cannot become ${to.toLowerCase()}.`;
  if (to === "REJECTED" && !reason?.trim()) return "Say why the sample is rejected.";
  return null;
}
