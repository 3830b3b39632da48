"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Switch } from "@/components/ui/switch";
import { saveEndpointAction } from "@/lib/models/actions";
import { useAdminAction } from "./use-admin-action";

type EndpointKind = "VLLM" | "OPENAI_COMPATIBLE" | "LLAMA_CPP";

/** Add an endpoint, or edit one. The API key is write-only: the form never receives it. */
export function EndpointDialog(props: {
  endpoint?: { id: string; name: string; kind: EndpointKind; baseUrl: string; hasApiKey: boolean };
}) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(props.endpoint?.name ?? "");
  const [kind, setKind] = useState<EndpointKind>(props.endpoint?.kind ?? "VLLM");
  const [baseUrl, setBaseUrl] = useState(props.endpoint?.baseUrl ?? "");
  const [apiKey, setApiKey] = useState("");
  const [clearApiKey, setClearApiKey] = useState(false);
  const { run, pending, fieldError } = useAdminAction();
  const editing = props.endpoint !== undefined;

  function save() {
    run(() => saveEndpointAction(props.endpoint?.id ?? null, { name, kind, baseUrl, apiKey, clearApiKey }), {
      title: editing ? "Endpoint saved" : "Endpoint added",
      onSuccess: () => {
        setApiKey("");
        setOpen(false);
      },
    });
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button
          variant={editing ? "ghost" : "outline"}
          size="sm"
          data-testid={editing ? "edit-endpoint" : "add-endpoint"}
        >
          {editing ? "Edit" : "Add endpoint"}
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-lg">
        <DialogHeader>
          <DialogTitle>{editing ? `Edit ${props.endpoint?.name}` : "Add an endpoint"}</DialogTitle>
          <DialogDescription>
            A vLLM or other OpenAI-compatible server, or a GGUF file run on this machine&rsquo;s CPU.
          </DialogDescription>
        </DialogHeader>
        <div className="space-y-4">
          <Field label="Name" htmlFor="endpoint-name" error={fieldError("name")}>
            <Input
              {...fieldAria("endpoint-name", fieldError("name"))}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
          <Field label="Kind" htmlFor="endpoint-kind">
            <NativeSelect id="endpoint-kind" value={kind} onChange={(e) => setKind(e.target.value as EndpointKind)}>
              <option value="VLLM">vLLM</option>
              <option value="OPENAI_COMPATIBLE">Other OpenAI-compatible server</option>
              <option value="LLAMA_CPP">Local llama.cpp (GGUF file)</option>
            </NativeSelect>
          </Field>
          <Field
            label={kind === "LLAMA_CPP" ? "GGUF path" : "Base URL"}
            htmlFor="endpoint-url"
            hint={kind === "LLAMA_CPP" ? "An absolute path on the server." : "The server root or its /v1."}
            error={fieldError("baseUrl")}
          >
            <Input
              {...fieldAria("endpoint-url", fieldError("baseUrl"))}
              value={baseUrl}
              onChange={(e) => setBaseUrl(e.target.value)}
            />
          </Field>
          {kind === "LLAMA_CPP" ? null : (
            <>
              <Field
                label="API key"
                htmlFor="endpoint-key"
                hint={props.endpoint?.hasApiKey ? "A key is stored. Leave empty to keep it." : "Optional."}
              >
                <Input
                  id="endpoint-key"
                  type="password"
                  autoComplete="off"
                  value={apiKey}
                  onChange={(e) => setApiKey(e.target.value)}
                />
              </Field>
              {props.endpoint?.hasApiKey ? (
                <Switch checked={clearApiKey} onCheckedChange={setClearApiKey} label="Remove the stored key" />
              ) : null}
            </>
          )}
        </div>
        <DialogFooter>
          <Button onClick={save} loading={pending} data-testid="save-endpoint">
            Save
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
