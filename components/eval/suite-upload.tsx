"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";

/** Import a suite file (JSONL); the server stores all of it or, naming the bad lines, none of it. */
export function SuiteUpload() {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [seed, setSeed] = useState("");
  const [busy, setBusy] = useState(false);

  async function upload() {
    if (!file) return;
    setBusy(true);
    const form = new FormData();
    form.set("file", file);
    form.set("name", name);
    form.set("seed", seed);
    const response = await fetch("/api/admin/eval/suites", { method: "POST", body: form }).catch(() => null);
    const body = await response?.json().catch(() => null);
    setBusy(false);
    if (!response?.ok) {
      toast({
        title: "Not imported",
        description: body?.error?.message ?? "The server could not be reached; try again.",
        variant: "error",
      });
      return;
    }
    toast({ title: `Imported ${body.name} v${body.version}: ${body.items} ${body.kind} item(s)`, variant: "success" });
    router.refresh();
  }

  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="eval-upload">
      <Field label="Suite file" htmlFor="eval-suite-file">
        <Input
          id="eval-suite-file"
          type="file"
          accept=".jsonl,.json"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </Field>
      <Field label="Name" htmlFor="eval-suite-name" hint="Empty: the file header's.">
        <Input id="eval-suite-name" value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
      </Field>
      <Field label="Candidate seed" htmlFor="eval-suite-seed" hint="Empty: the name.">
        <Input id="eval-suite-seed" value={seed} maxLength={64} onChange={(event) => setSeed(event.target.value)} />
      </Field>
      <Button onClick={() => void upload()} loading={busy} disabled={!file} data-testid="eval-upload-submit">
        Import
      </Button>
    </div>
  );
}
