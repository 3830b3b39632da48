"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useAdminAction } from "@/components/admin/use-admin-action";
import { AnySelect, type Option, plainOptions } from "@/components/curation/any-select";
import { Button } from "@/components/ui/button";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { SAMPLE_KINDS, SAMPLE_SOURCES } from "@/lib/curation/schema";
import { createDatasetAction, previewDatasetAction } from "@/lib/datasets/actions";

const FILTER_FIELDS = ["source", "kind", "pipeline", "characterId", "language", "minScore", "q"] as const;
type FilterField = (typeof FILTER_FIELDS)[number];

/** A new dataset version: a name, a filter over approved samples, and how to split it. */
export function CreateDatasetForm(props: { pipelines: string[]; languages: string[]; characters: Option[] }) {
  const router = useRouter();
  const { run, pending, fieldError } = useAdminAction();
  const [previewing, startPreview] = useTransition();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [seed, setSeed] = useState("");
  const [validationShare, setValidationShare] = useState("0.05");
  const [filter, setFilter] = useState<Record<FilterField, string>>({
    source: "",
    kind: "",
    pipeline: "",
    characterId: "",
    language: "",
    minScore: "",
    q: "",
  });
  const [count, setCount] = useState<string | null>(null);

  const cleanFilter = () => Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== ""));
  const set = (field: FilterField) => (event: { target: { value: string } }) => {
    setFilter({ ...filter, [field]: event.target.value });
    setCount(null);
  };

  function preview() {
    startPreview(async () => {
      const result = await previewDatasetAction(cleanFilter());
      setCount(
        result.ok
          ? `${result.data.capped ? "More than " : ""}${result.data.count.toLocaleString("en")} approved sample(s) match; near-duplicates are taken once each.`
          : result.error.message,
      );
    });
  }

  function create() {
    run(
      () =>
        createDatasetAction({
          name,
          description,
          seed: seed || undefined,
          // An emptied field means the default share, not zero.
          validationShare: validationShare.trim() === "" ? undefined : Number(validationShare),
          filter: cleanFilter(),
        }),
      {
        title: "Dataset version created",
        onSuccess: (data) => router.push(`/admin/datasets/${data.id}`),
      },
    );
  }

  const select = (field: FilterField, label: string, options: Option[]) => (
    <AnySelect id={`dataset-${field}`} label={label} options={options} value={filter[field]} onChange={set(field)} />
  );

  return (
    <div className="space-y-4" data-testid="create-dataset">
      <div className="flex flex-wrap items-end gap-3">
        <Field
          label="Name"
          htmlFor="dataset-name"
          error={fieldError("name")}
          hint="Creating it again makes the next version."
        >
          <Input
            {...fieldAria("dataset-name", fieldError("name"))}
            value={name}
            maxLength={80}
            onChange={(event) => setName(event.target.value)}
          />
        </Field>
        <Field label="Validation share" htmlFor="dataset-validation" error={fieldError("validationShare")}>
          <Input
            {...fieldAria("dataset-validation", fieldError("validationShare"))}
            type="number"
            min={0}
            max={0.5}
            step={0.01}
            value={validationShare}
            onChange={(event) => setValidationShare(event.target.value)}
            className="w-28"
          />
        </Field>
        <Field label="Split seed" htmlFor="dataset-seed" hint="Empty: a random one, stored with the version.">
          <Input id="dataset-seed" value={seed} maxLength={64} onChange={(event) => setSeed(event.target.value)} />
        </Field>
      </div>
      <Field label="Description" htmlFor="dataset-description" className="w-full">
        <Textarea
          id="dataset-description"
          value={description}
          maxLength={2000}
          rows={2}
          onChange={(event) => setDescription(event.target.value)}
        />
      </Field>
      <div className="flex flex-wrap items-end gap-3">
        {select("source", "Source", plainOptions(SAMPLE_SOURCES))}
        {select("kind", "Kind", plainOptions(SAMPLE_KINDS))}
        {select("pipeline", "Pipeline", plainOptions(props.pipelines))}
        {select("characterId", "Character", props.characters)}
        {select("language", "Language", plainOptions(props.languages))}
        <Field label="Judge score from" htmlFor="dataset-minScore">
          <Input
            id="dataset-minScore"
            type="number"
            min={1}
            max={5}
            step={0.5}
            value={filter.minScore}
            onChange={set("minScore")}
            className="w-24"
          />
        </Field>
        <Field label="Words" htmlFor="dataset-q">
          <Input id="dataset-q" value={filter.q} maxLength={200} onChange={set("q")} />
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant="outline" onClick={preview} loading={previewing} data-testid="dataset-preview">
          Count matching
        </Button>
        <Button type="button" onClick={create} loading={pending} data-testid="dataset-create">
          Create version
        </Button>
        {count ? (
          <span className="text-sm text-muted-foreground" data-testid="dataset-count">
            {count}
          </span>
        ) : null}
      </div>
    </div>
  );
}
