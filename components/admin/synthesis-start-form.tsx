"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toast";
import { previewSynthesisAction, startSynthesisAction } from "@/lib/synthesis/actions";
import { characterIdsIn } from "./character-ids";

type Option = { id: string; name: string };
type InputOption = Option & { kind: string; seeds: number };

const INPUT_KIND: Record<string, string | null> = {
  profiles: "personas",
  generate: "instructions",
  rewrite: "instructions",
  ditto: "knowledge",
  repair: null,
};

export function SynthesisStartForm(props: {
  pipelines: { name: string; description: string }[];
  inputs: InputOption[];
  versions: Option[];
}) {
  const router = useRouter();
  const [pipeline, setPipeline] = useState(props.pipelines[0]?.name ?? "profiles");
  const kind = INPUT_KIND[pipeline] ?? null;
  const inputs = props.inputs.filter((input) => input.kind === kind);
  const [inputId, setInputId] = useState("");
  const [characters, setCharacters] = useState("");
  const [numbers, setNumbers] = useState({
    n: "3",
    seed: "1",
    pairs: "20",
    limit: "",
    temperature: "0.8",
    maxTokens: "1024",
    runners: "1",
  });
  const [contrastive, setContrastive] = useState(false);
  const [modelVersionId, setModelVersionId] = useState("");
  const [preview, setPreview] = useState<{ key: string; system: string; prompt: string } | null>(null);
  const [pending, start] = useTransition();
  const set = (key: keyof typeof numbers) => (event: { target: { value: string } }) =>
    setNumbers({ ...numbers, [key]: event.target.value });

  function form() {
    const limit = numbers.limit.trim() ? Number(numbers.limit) : undefined;
    const chosenInput = inputId || inputs[0]?.id;
    const params: Record<string, unknown> =
      pipeline === "repair"
        ? { limit }
        : pipeline === "profiles"
          ? { inputId: chosenInput, limit }
          : pipeline === "ditto"
            ? { inputId: chosenInput, pairs: Number(numbers.pairs), seed: Number(numbers.seed), contrastive, limit }
            : {
                inputId: chosenInput,
                characterIds: characterIdsIn(characters),
                n: Number(numbers.n),
                seed: Number(numbers.seed),
                limit,
              };
    return {
      pipeline,
      params,
      modelVersionId: modelVersionId || null,
      temperature: Number(numbers.temperature),
      maxOutputTokens: Number(numbers.maxTokens),
      runners: Number(numbers.runners),
    };
  }

  function explain(error: { message: string; fields?: Record<string, string[]> }) {
    const fields = error.fields ? Object.entries(error.fields).map(([key, value]) => `${key}: ${value.join(" ")}`) : [];
    toast({ title: "Not started", description: [error.message, ...fields].join(" "), variant: "error" });
  }

  return (
    <div className="space-y-4" data-testid="synthesis-form">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          label="Pipeline"
          htmlFor="synth-pipeline"
          hint={props.pipelines.find((p) => p.name === pipeline)?.description}
        >
          <NativeSelect id="synth-pipeline" value={pipeline} onChange={(event) => setPipeline(event.target.value)}>
            {props.pipelines.map((option) => (
              <option key={option.name} value={option.name}>
                {option.name}
              </option>
            ))}
          </NativeSelect>
        </Field>
        {kind ? (
          <Field
            label={`Input (${kind})`}
            htmlFor="synth-input"
            hint={inputs.length === 0 ? "Upload one above first." : undefined}
          >
            <NativeSelect
              id="synth-input"
              value={inputId || inputs[0]?.id || ""}
              onChange={(event) => setInputId(event.target.value)}
            >
              {inputs.map((input) => (
                <option key={input.id} value={input.id}>
                  {input.name} ({input.seeds})
                </option>
              ))}
            </NativeSelect>
          </Field>
        ) : null}
        {pipeline === "generate" || pipeline === "rewrite" ? (
          <>
            <Field
              label="Characters"
              htmlFor="synth-characters"
              hint="Ids or page URLs, any separator."
              className="sm:col-span-2"
            >
              <Textarea
                id="synth-characters"
                rows={2}
                value={characters}
                onChange={(event) => setCharacters(event.target.value)}
              />
            </Field>
            <Field label="Characters per seed (N)" htmlFor="synth-n">
              <Input id="synth-n" type="number" min={1} value={numbers.n} onChange={set("n")} />
            </Field>
          </>
        ) : null}
        {pipeline === "ditto" ? (
          <>
            <Field label="Pairs" htmlFor="synth-pairs">
              <Input id="synth-pairs" type="number" min={1} value={numbers.pairs} onChange={set("pairs")} />
            </Field>
            <Switch checked={contrastive} onCheckedChange={setContrastive} label="Refusal ≻ leak pairs" />
          </>
        ) : null}
        {pipeline !== "profiles" && pipeline !== "repair" ? (
          <Field label="Seed" htmlFor="synth-seed">
            <Input id="synth-seed" type="number" value={numbers.seed} onChange={set("seed")} />
          </Field>
        ) : null}
        <Field label="Limit" htmlFor="synth-limit" hint="At most this many inputs (empty: all).">
          <Input id="synth-limit" type="number" min={1} value={numbers.limit} onChange={set("limit")} />
        </Field>
        <Field label="Model" htmlFor="synth-model">
          <NativeSelect
            id="synth-model"
            value={modelVersionId}
            onChange={(event) => setModelVersionId(event.target.value)}
          >
            <option value="">The environment&apos;s model</option>
            {props.versions.map((version) => (
              <option key={version.id} value={version.id}>
                {version.name}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field label="Temperature" htmlFor="synth-temperature">
          <Input
            id="synth-temperature"
            type="number"
            step={0.05}
            value={numbers.temperature}
            onChange={set("temperature")}
          />
        </Field>
        <Field label="Max tokens per answer" htmlFor="synth-max-tokens">
          <Input id="synth-max-tokens" type="number" step={64} value={numbers.maxTokens} onChange={set("maxTokens")} />
        </Field>
        <Field
          label="Runners"
          htmlFor="synth-runners"
          hint="Worker slots to share the job (each keeps up to SYNTH_CONCURRENCY requests in flight)."
        >
          <Input id="synth-runners" type="number" min={1} max={16} value={numbers.runners} onChange={set("runners")} />
        </Field>
      </div>
      <div className="flex gap-2">
        <Button
          variant="outline"
          loading={pending}
          data-testid="synth-preview"
          onClick={() =>
            start(async () => {
              const result = await previewSynthesisAction(form());
              if (result.ok) setPreview(result.data);
              else explain(result.error);
            })
          }
        >
          Preview one prompt
        </Button>
        <Button
          loading={pending}
          data-testid="synth-start"
          onClick={() =>
            start(async () => {
              const result = await startSynthesisAction(form());
              if (!result.ok) return explain(result.error);
              toast({ title: `Job started with ${result.data.total} item(s)`, variant: "success" });
              router.push(`/admin/synthesis/${result.data.id}`);
            })
          }
        >
          Start job
        </Button>
      </div>
      {preview ? (
        <div className="space-y-2 rounded-lg border border-border p-3 text-sm" data-testid="synth-preview-output">
          <p className="text-muted-foreground">First item: {preview.key}</p>
          <pre className="max-h-64 overflow-auto whitespace-pre-wrap rounded bg-muted p-2">{preview.system}</pre>
          <pre className="max-h-64 overflow-auto whitespace-pre-wrap rounded bg-muted p-2">{preview.prompt}</pre>
        </div>
      ) : null}
    </div>
  );
}
