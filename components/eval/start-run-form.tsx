"use client";

import Link from "next/link";
import { useState } from "react";
import { useAdminAction } from "@/components/admin/use-admin-action";
import { Button } from "@/components/ui/button";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { startEvalRunAction } from "@/lib/eval/actions";

type SuiteOption = { id: string; label: string; defaultSamples: number };
type VersionOption = { id: string; name: string };

function ModelSelect(props: {
  id: string;
  versions: VersionOption[];
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  return (
    <NativeSelect
      {...fieldAria(props.id, props.error)}
      value={props.value}
      onChange={(event) => props.onChange(event.target.value)}
    >
      <option value="">The environment&apos;s model</option>
      {props.versions.map((version) => (
        <option key={version.id} value={version.id}>
          {version.name}
        </option>
      ))}
    </NativeSelect>
  );
}

/** A run: a suite, the model under test, the judge, and how many times each judge is asked. */
export function StartRunForm({ suites, versions }: { suites: SuiteOption[]; versions: VersionOption[] }) {
  const { run, pending, fieldError } = useAdminAction();
  const [suiteId, setSuiteId] = useState(suites[0]?.id ?? "");
  const [modelVersionId, setModelVersionId] = useState("");
  const [judgeVersionId, setJudgeVersionId] = useState("");
  const [samples, setSamples] = useState(String(suites[0]?.defaultSamples ?? 3));
  const [started, setStarted] = useState<string | null>(null);

  function chooseSuite(id: string) {
    setSuiteId(id);
    // The papers' sampling per suite kind, until the admin says otherwise.
    setSamples(String(suites.find((suite) => suite.id === id)?.defaultSamples ?? 3));
  }

  function start() {
    setStarted(null);
    run(
      () =>
        startEvalRunAction({
          suiteId,
          modelVersionId: modelVersionId || null,
          judgeVersionId: judgeVersionId || null,
          samples: Number(samples),
        }),
      { title: "Run started", onSuccess: (data) => setStarted(data.id) },
    );
  }

  return (
    <div className="space-y-4" data-testid="eval-start-run">
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Suite" htmlFor="eval-run-suite" error={fieldError("suiteId")}>
          <NativeSelect
            {...fieldAria("eval-run-suite", fieldError("suiteId"))}
            value={suiteId}
            onChange={(event) => chooseSuite(event.target.value)}
          >
            {suites.map((suite) => (
              <option key={suite.id} value={suite.id}>
                {suite.label}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field label="Model under test" htmlFor="eval-run-model" error={fieldError("modelVersionId")}>
          <ModelSelect
            id="eval-run-model"
            versions={versions}
            value={modelVersionId}
            error={fieldError("modelVersionId")}
            onChange={setModelVersionId}
          />
        </Field>
        <Field label="Judge" htmlFor="eval-run-judge" error={fieldError("judgeVersionId")}>
          <ModelSelect
            id="eval-run-judge"
            versions={versions}
            value={judgeVersionId}
            error={fieldError("judgeVersionId")}
            onChange={setJudgeVersionId}
          />
        </Field>
        <Field label="Judge samples (n)" htmlFor="eval-run-samples" error={fieldError("samples")}>
          <Input
            {...fieldAria("eval-run-samples", fieldError("samples"))}
            type="number"
            min={1}
            max={9}
            value={samples}
            onChange={(event) => setSamples(event.target.value)}
            className="w-24"
          />
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={start} loading={pending} disabled={!suiteId} data-testid="eval-start-submit">
          Start run
        </Button>
        {started ? (
          <Link href={`/admin/eval/runs/${started}`} className="text-sm underline" data-testid="eval-run-link">
            Open the run
          </Link>
        ) : null}
      </div>
    </div>
  );
}
