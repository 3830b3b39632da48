import { Alert } from "@/components/ui/alert";
import { modelConnected } from "@/lib/models/routing";

/** Shown wherever a model is needed and none is configured. Never a silent fake model. */
export async function ModelStatusBanner({ isAdmin }: { isAdmin: boolean }) {
  if (await modelConnected()) return null;
  return (
    <Alert variant="warning" title="No model connected" data-testid="no-model-banner" className="mb-6">
      {isAdmin ? (
        <p>
          Set <code>LLM_BASE_URL</code> (for example <code>http://127.0.0.1:8000/v1</code> for <code>vllm serve</code>)
          and <code>LLM_MODEL</code> in <code>.env</code> — or <code>LOCAL_MODEL_PATH</code> to a GGUF file for the
          local CPU engine — then restart Troupe. The README&rsquo;s &ldquo;Connect a model&rdquo; section has the full
          command.
        </p>
      ) : (
        <p>Chat is unavailable until an admin connects a model server.</p>
      )}
    </Alert>
  );
}
