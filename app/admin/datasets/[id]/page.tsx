import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CardMarkdown } from "@/components/datasets/card-markdown";
import { MixTable, TokenHistogram } from "@/components/datasets/mix-report";
import { Alert } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireAdminPage } from "@/lib/auth/session";
import { DATASET_FORMATS } from "@/lib/datasets/formats";
import { getDatasetVersion } from "@/lib/datasets/queries";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Dataset version" };

const FORMAT_NAMES: Record<(typeof DATASET_FORMATS)[number], string> = {
  "openai-sft": "OpenAI SFT",
  "openai-dpo": "OpenAI DPO",
  "trl-sft": "TRL SFT",
  "trl-dpo": "TRL DPO",
  "trl-kto": "TRL KTO",
  sharegpt: "ShareGPT",
};

async function load(id: string) {
  try {
    return await getDatasetVersion(id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found:dataset") notFound();
    throw error;
  }
}

export default async function DatasetVersionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/datasets/${id}`);
  const version = await load(id);
  const { mix } = version;
  const base = `/api/admin/datasets/${version.id}`;
  const link = buttonVariants({ variant: "outline", size: "sm" });
  return (
    <div className="space-y-6" data-testid="dataset-version">
      <Card>
        <CardHeader>
          <CardTitle as="h2">
            {version.name} v{version.version}
          </CardTitle>
          <CardDescription>
            {version.sampleCount.toLocaleString("en")} samples · {version.trainCount.toLocaleString("en")} train ·{" "}
            {version.validationCount.toLocaleString("en")} validation · seed <code>{version.seed}</code> · created{" "}
            {version.createdAt.toISOString().slice(0, 16).replace("T", " ")}
            {version.createdBy ? ` by ${version.createdBy}` : ""}
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {version.redacted > 0 ? (
            <Alert variant="warning" data-testid="dataset-redacted">
              {version.redacted.toLocaleString("en")} sample(s) were erased since this version was made (their users
              withdrew consent); every export leaves them out.
            </Alert>
          ) : (
            <p className="text-sm text-muted-foreground" data-testid="dataset-redacted">
              No rows erased since this version was made.
            </p>
          )}
          <div className="space-y-2">
            <h3 className="font-medium">Download</h3>
            <div className="flex flex-wrap gap-2" data-testid="dataset-downloads">
              {DATASET_FORMATS.map((format) => (
                <a
                  key={format}
                  className={link}
                  href={`${base}/export?format=${format}`}
                  download
                  data-testid={`download-${format}`}
                >
                  {FORMAT_NAMES[format]}
                </a>
              ))}
            </div>
            <p className="text-xs text-muted-foreground">
              Each file holds the kinds its format takes (SFT formats: conversations; DPO: pairs; KTO: thumbs rows). Add{" "}
              <code>&amp;split=train</code> or <code>&amp;split=validation</code> to a link for one side of the split.
            </p>
          </div>
          <div className="space-y-2">
            <h3 className="font-medium">Training bundle</h3>
            <div className="flex flex-wrap gap-2">
              {(["trl-sft", "trl-dpo", "trl-kto"] as const).map((format) => (
                <a
                  key={format}
                  className={link}
                  href={`${base}/bundle?format=${format}`}
                  download
                  data-testid={`bundle-${format}`}
                >
                  {FORMAT_NAMES[format]} bundle (zip)
                </a>
              ))}
              <a className={link} href={`${base}/card`} download>
                Dataset card (markdown)
              </a>
            </div>
            <p className="text-xs text-muted-foreground">
              train.jsonl, validation.jsonl, the dataset card, and train_lora.py with a README: how to fine-tune a LoRA
              with TRL on it, serve it with vLLM and register it under Models.
            </p>
          </div>
          {version.models.length > 0 ? (
            <p className="text-sm">
              Models trained on this version:{" "}
              {version.models.map((model) => `${model.name} (${model.status.toLowerCase()})`).join(", ")}
            </p>
          ) : null}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Mix</CardTitle>
          <CardDescription>What the version is made of, counted when it was created.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6 md:grid-cols-2" data-testid="dataset-mix">
          <MixTable title="Source" rows={mix.bySource} total={mix.total} />
          <MixTable title="Kind" rows={mix.byKind} total={mix.total} />
          <MixTable title="Pipeline" rows={mix.byPipeline} total={mix.total} />
          <MixTable title="Language" rows={mix.byLanguage} total={mix.total} />
          <MixTable
            title="Character"
            rows={mix.byCharacter.map((row) => ({ key: row.name ?? row.key, count: row.count }))}
            total={mix.total}
          />
          <div className="space-y-4">
            <TokenHistogram title="Prompt tokens" rows={mix.promptTokens} />
            <TokenHistogram title="Answer tokens" rows={mix.answerTokens} />
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Dataset card</CardTitle>
        </CardHeader>
        <CardContent>
          <CardMarkdown text={version.card} />
        </CardContent>
      </Card>
    </div>
  );
}
