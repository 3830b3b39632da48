// One suite item as the run and compare pages show it: who is asked what, the model's answer, its
// scores, and every raw judge reply behind them.
import { RoleplayMarkdown } from "@/components/chat/roleplay-markdown";
import type { ItemScore } from "@/lib/eval/aggregate";
import type { StoredJudgement } from "@/lib/eval/run";
import type { SuiteItem } from "@/lib/eval/schema";
import { formatScore, metricLabel, typeLabel } from "./format";

/** The question and who answers it (character and session turn, or persona and task). */
export function ItemQuestion({ item }: { item: SuiteItem }) {
  const context =
    item.kind === "knowledge"
      ? `${item.character.name} · ${item.session} turn ${item.turn} · ${typeLabel(item.type)}${item.shouldRefuse ? " (should refuse)" : ""}`
      : item.kind === "persona"
        ? `${typeLabel(item.task)} · ${item.persona}`
        : `${item.character.name}${item.reference === undefined ? "" : " · from an example dialogue"}`;
  return (
    <div className="space-y-1">
      <p className="line-clamp-3 text-xs text-muted-foreground" title={context}>
        {context} · {item.language}
      </p>
      <p>{item.question}</p>
    </div>
  );
}

export function ItemAnswer({ answer }: { answer: string | null }) {
  if (answer === null) return <span className="text-muted-foreground">not answered yet</span>;
  return (
    <div className="max-h-64 overflow-y-auto text-sm">
      <RoleplayMarkdown text={answer} />
    </div>
  );
}

/** Per dimension: the item's score and how many of its samples could be read. */
export function ItemScores({ scores }: { scores: ItemScore[] }) {
  if (scores.length === 0) return <span className="text-muted-foreground">not judged yet</span>;
  return (
    <ul className="space-y-0.5 text-xs tabular-nums">
      {scores.map((score) => (
        <li key={score.dimension}>
          {metricLabel(score.dimension)}: <span className="font-medium">{formatScore(score.score)}</span>{" "}
          <span className="text-muted-foreground">
            ({score.validSamples}/{score.validSamples + score.parseFailures} read)
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Every judge reply as it came back (rationale included), and why a reply could not be read. */
export function JudgeReplies({ judgements }: { judgements: StoredJudgement[] }) {
  if (judgements.length === 0) return null;
  const failures = judgements.filter((judgement) => judgement.parseFailure !== null).length;
  return (
    <details className="text-xs" data-testid="eval-judge-replies">
      <summary className="cursor-pointer text-muted-foreground">
        {judgements.length} judge repl{judgements.length === 1 ? "y" : "ies"}
        {failures > 0 ? `, ${failures} unreadable` : ""}
      </summary>
      <ol className="mt-2 space-y-2">
        {judgements.map((judgement) => (
          <li key={`${judgement.dimension}:${judgement.sample}`} className="rounded border border-border p-2">
            <p className="font-medium">
              {metricLabel(judgement.dimension)} · sample {judgement.sample + 1} ·{" "}
              {judgement.parseFailure === null ? (
                `value ${judgement.value}`
              ) : (
                <span className="text-destructive">unreadable: {judgement.parseFailure}</span>
              )}
            </p>
            <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-words">{judgement.raw}</pre>
          </li>
        ))}
      </ol>
    </details>
  );
}
