"use client";

import { Upload } from "lucide-react";
import Link from "next/link";
import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import type { ImportOutcome } from "@/lib/characters/transfer";

type Props = { characters: { id: string; name: string }[] };

/** Drop or pick many card files; each one is imported or reported on its own. */
export function ImportDropzone({ characters }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [lorebookTarget, setLorebookTarget] = useState("");
  const [results, setResults] = useState<ImportOutcome[]>([]);

  async function upload(files: File[]) {
    if (files.length === 0) return;
    setBusy(true);
    try {
      const form = new FormData();
      for (const file of files) form.append("files", file);
      if (lorebookTarget) form.append("lorebookTarget", lorebookTarget);
      const response = await fetch("/api/characters/import", { method: "POST", body: form });
      const body = await response.json();
      if (!response.ok && !body.results) {
        toast({
          title: "Import failed",
          description: body.error?.message ?? `HTTP ${response.status}`,
          variant: "error",
        });
        return;
      }
      setResults(body.results);
      toast({
        title: `${body.imported} imported, ${body.failed} failed`,
        variant: body.failed > 0 ? (body.imported > 0 ? "default" : "error") : "success",
      });
    } catch {
      toast({ title: "Import failed", description: "The upload did not reach the server.", variant: "error" });
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  }

  return (
    <div className="space-y-4">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target mirrors the labelled button inside it */}
      <div
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          void upload(Array.from(event.dataTransfer.files));
        }}
        className={`flex flex-col items-center gap-3 rounded-lg border-2 border-dashed p-8 text-center ${dragging ? "border-primary bg-muted" : "border-border"}`}
        data-testid="import-dropzone"
      >
        <Upload aria-hidden className="size-8 text-muted-foreground" />
        <p className="text-sm text-muted-foreground">
          Drop Character Cards here: PNG, JSON (V1, V2, V3), CHARX, or lorebook JSON. Up to 50 files, 20 MB each.
        </p>
        <input
          ref={input}
          type="file"
          multiple
          accept=".png,.json,.charx,.zip,image/png,application/json"
          className="sr-only"
          id="card-files"
          data-testid="import-input"
          onChange={(event) => void upload(Array.from(event.target.files ?? []))}
        />
        <Button type="button" variant="outline" loading={busy} onClick={() => input.current?.click()}>
          Choose files
        </Button>
      </div>
      <div className="space-y-1">
        <label htmlFor="lorebook-target" className="text-sm font-medium">
          Attach lorebook files to
        </label>
        <select
          id="lorebook-target"
          className="h-9 w-full max-w-sm rounded-md border border-input bg-background px-2 text-sm"
          value={lorebookTarget}
          onChange={(event) => setLorebookTarget(event.target.value)}
        >
          <option value="">(no character: lorebook files are reported)</option>
          {characters.map((character) => (
            <option key={character.id} value={character.id}>
              {character.name}
            </option>
          ))}
        </select>
      </div>
      {results.length > 0 ? (
        <ul className="space-y-2" data-testid="import-results">
          {results.map((result, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: two uploads may share a file name
            <li key={index} data-testid="import-result" data-ok={result.ok}>
              {result.ok ? (
                <Alert
                  variant="success"
                  title={result.fileName}
                  description={
                    result.kind === "character"
                      ? `Imported ${result.name} (${result.format})${result.repairs.length ? `; repaired: ${result.repairs.join("; ")}` : ""}`
                      : `Added ${result.entries} lorebook entries`
                  }
                >
                  {result.kind === "character" ? (
                    <Link
                      href={`/characters/${result.id}`}
                      className="text-sm text-primary underline-offset-4 hover:underline"
                    >
                      Open {result.name}
                    </Link>
                  ) : null}
                </Alert>
              ) : (
                <Alert variant="error" title={result.fileName} description={result.error.message} />
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
