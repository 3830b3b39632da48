"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { toast } from "@/components/ui/toast";

/** Upload a personas / instruction seeds / knowledge file; the server reads it as a stream. */
export function InputUpload() {
  const router = useRouter();
  const [kind, setKind] = useState("personas");
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);

  async function upload() {
    if (!file) return;
    setBusy(true);
    const response = await fetch(`/api/admin/synthesis/inputs?kind=${kind}&name=${encodeURIComponent(file.name)}`, {
      method: "POST",
      body: file,
      headers: { "Content-Type": "application/octet-stream" },
    });
    const body = await response.json().catch(() => null);
    setBusy(false);
    if (!response.ok) {
      toast({ title: "Not imported", description: body?.error?.message, variant: "error" });
      return;
    }
    toast({
      title: `Imported ${body.seeds} row(s) from ${file.name}`,
      description: body.failed > 0 ? `${body.failed} bad line(s) skipped; see the table.` : undefined,
      variant: body.failed > 0 ? "default" : "success",
    });
    router.refresh();
  }

  return (
    <div className="flex flex-wrap items-end gap-3">
      <Field label="Kind" htmlFor="input-kind">
        <NativeSelect id="input-kind" value={kind} onChange={(event) => setKind(event.target.value)}>
          <option value="personas">Personas (JSONL or text)</option>
          <option value="instructions">Instruction seeds (JSONL)</option>
          <option value="knowledge">Knowledge profiles (JSONL)</option>
        </NativeSelect>
      </Field>
      <Field label="File" htmlFor="input-file">
        <Input
          id="input-file"
          type="file"
          accept=".jsonl,.json,.txt"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </Field>
      <Button onClick={() => void upload()} loading={busy} disabled={!file} data-testid="upload-input">
        Import
      </Button>
    </div>
  );
}
