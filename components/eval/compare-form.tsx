import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/native-select";

type RunOption = { id: string; label: string };

/** Two runs of one suite to compare: a plain GET form, so the comparison has its own URL. */
export function CompareForm({ runs }: { runs: RunOption[] }) {
  const select = (name: "a" | "b", label: string, initial: RunOption | undefined) => (
    <Field label={label} htmlFor={`eval-compare-${name}`}>
      <NativeSelect id={`eval-compare-${name}`} name={name} defaultValue={initial?.id}>
        {runs.map((run) => (
          <option key={run.id} value={run.id}>
            {run.label}
          </option>
        ))}
      </NativeSelect>
    </Field>
  );
  // Newest first: the previous run as the baseline, the newest as the candidate.
  return (
    <form
      action="/admin/eval/compare"
      method="get"
      className="flex flex-wrap items-end gap-3"
      data-testid="eval-compare-form"
    >
      {select("a", "Baseline (A)", runs[1])}
      {select("b", "Candidate (B)", runs[0])}
      <Button type="submit" variant="outline" data-testid="eval-compare-submit">
        Compare
      </Button>
    </form>
  );
}
