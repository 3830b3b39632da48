import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { type QueueQuery, SAMPLE_KINDS, SAMPLE_SOURCES } from "@/lib/curation/schema";

type Option = { id: string; label: string };

const STATE_CHOICES = [
  { value: "AUTO_CHECKED,NEEDS_REVIEW", label: "Waiting for review" },
  { value: "NEEDS_REVIEW", label: "Needs review" },
  { value: "AUTO_CHECKED", label: "Auto-checked" },
  { value: "APPROVED", label: "Approved" },
  { value: "REJECTED", label: "Rejected" },
  { value: "NEW", label: "Not checked yet" },
  { value: "ERASED", label: "Erased" },
  { value: "NEW,AUTO_CHECKED,NEEDS_REVIEW,APPROVED,REJECTED,ERASED", label: "Any state" },
];

const FLAGS = [
  ["any", "Any flag"],
  ["none", "No flags"],
  ["empty_turn", "Empty turn"],
  ["truncated", "Truncated"],
  ["breaks_role", "Breaks role"],
  ["repeated_name", "Repeats its name"],
  ["wrong_language", "Wrong language"],
  ["too_short", "Too short"],
  ["too_long", "Too long"],
  ["near_duplicate", "Near-duplicate"],
] as const;

function Select({ name, label, value, options }: { name: string; label: string; value?: string; options: Option[] }) {
  return (
    <Field label={label} htmlFor={`queue-${name}`}>
      <NativeSelect id={`queue-${name}`} name={name} defaultValue={value ?? ""}>
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </NativeSelect>
    </Field>
  );
}

const plainOptions = (values: readonly string[]) => values.map((value) => ({ id: value, label: value.toLowerCase() }));

/** The queue's filter as a GET form, so every view of the queue is a link that can be shared. */
export function QueueFilters(props: {
  query: QueueQuery;
  pipelines: string[];
  languages: string[];
  models: string[];
  characters: { id: string; name: string }[];
  jobs: Option[];
}) {
  const { query } = props;
  return (
    <form method="get" className="flex flex-wrap items-end gap-2" data-testid="queue-filters">
      <Field label="State" htmlFor="queue-state">
        <NativeSelect id="queue-state" name="state" defaultValue={query.state?.join(",") ?? STATE_CHOICES[0]?.value}>
          {STATE_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <Select name="source" label="Source" value={query.source} options={plainOptions(SAMPLE_SOURCES)} />
      <Select name="kind" label="Kind" value={query.kind} options={plainOptions(SAMPLE_KINDS)} />
      <Select name="pipeline" label="Pipeline" value={query.pipeline} options={plainOptions(props.pipelines)} />
      <Select name="jobId" label="Job" value={query.jobId} options={props.jobs} />
      <Select
        name="characterId"
        label="Character"
        value={query.characterId}
        options={props.characters.map((character) => ({ id: character.id, label: character.name }))}
      />
      <Select
        name="modelId"
        label="Model"
        value={query.modelId}
        options={props.models.map((model) => ({ id: model, label: model }))}
      />
      <Select name="flag" label="Flags" value={query.flag} options={FLAGS.map(([id, label]) => ({ id, label }))} />
      <Select
        name="language"
        label="Language"
        value={query.language}
        options={props.languages.map((language) => ({ id: language, label: language }))}
      />
      <Field label="Score from" htmlFor="queue-minScore">
        <Input
          id="queue-minScore"
          name="minScore"
          type="number"
          min={1}
          max={5}
          step={0.5}
          defaultValue={query.minScore}
          className="w-20"
        />
      </Field>
      <Field label="to" htmlFor="queue-maxScore">
        <Input
          id="queue-maxScore"
          name="maxScore"
          type="number"
          min={1}
          max={5}
          step={0.5}
          defaultValue={query.maxScore}
          className="w-20"
        />
      </Field>
      <Select
        name="duplicates"
        label="Near-duplicates"
        value={query.duplicates}
        options={[
          { id: "exclude", label: "Hide" },
          { id: "only", label: "Only duplicates" },
        ]}
      />
      <Field label="Words" htmlFor="queue-q">
        <Input
          id="queue-q"
          name="q"
          type="search"
          defaultValue={query.q}
          placeholder='tide "at dawn" -storm'
          maxLength={200}
        />
      </Field>
      <Field label="Order" htmlFor="queue-sort">
        <NativeSelect id="queue-sort" name="sort" defaultValue={query.sort ?? "newest"}>
          <option value="newest">Newest first</option>
          <option value="oldest">Oldest first</option>
          <option value="score_desc">Highest judge score (scored only)</option>
          <option value="score_asc">Lowest judge score (scored only)</option>
        </NativeSelect>
      </Field>
      <Button type="submit">Filter</Button>
      <Link href="/admin/curation" className="self-center text-sm text-muted-foreground hover:underline">
        Reset
      </Link>
    </form>
  );
}
