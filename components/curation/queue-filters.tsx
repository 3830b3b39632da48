import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { type QueueQuery, SAMPLE_KINDS, SAMPLE_SOURCES } from "@/lib/curation/schema";
import { AnySelect, type Option, plainOptions } from "./any-select";

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
      <AnySelect
        id="queue-source"
        name="source"
        label="Source"
        defaultValue={query.source}
        options={plainOptions(SAMPLE_SOURCES)}
      />
      <AnySelect
        id="queue-kind"
        name="kind"
        label="Kind"
        defaultValue={query.kind}
        options={plainOptions(SAMPLE_KINDS)}
      />
      <AnySelect
        id="queue-pipeline"
        name="pipeline"
        label="Pipeline"
        defaultValue={query.pipeline}
        options={plainOptions(props.pipelines)}
      />
      <AnySelect id="queue-jobId" name="jobId" label="Job" defaultValue={query.jobId} options={props.jobs} />
      <AnySelect
        id="queue-characterId"
        name="characterId"
        label="Character"
        defaultValue={query.characterId}
        options={props.characters.map((character) => ({ id: character.id, label: character.name }))}
      />
      <AnySelect
        id="queue-modelId"
        name="modelId"
        label="Model"
        defaultValue={query.modelId}
        options={props.models.map((model) => ({ id: model, label: model }))}
      />
      <AnySelect
        id="queue-flag"
        name="flag"
        label="Flags"
        defaultValue={query.flag}
        options={FLAGS.map(([id, label]) => ({ id, label }))}
      />
      <AnySelect
        id="queue-language"
        name="language"
        label="Language"
        defaultValue={query.language}
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
      <AnySelect
        id="queue-duplicates"
        name="duplicates"
        label="Near-duplicates"
        defaultValue={query.duplicates}
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
