// Probing a model source: a remote endpoint answers /health and /v1/models; a local GGUF file is
// checked for existence and the GGUF magic without loading it (loading takes seconds and memory).
import { open } from "node:fs/promises";
import { type DefaultModelConfig, localModelId } from "./config";
import { type EndpointHealth, probeEndpoint } from "./endpoint";

export async function probeLocalModel(modelPath: string): Promise<EndpointHealth> {
  const started = performance.now();
  const result = (healthy: boolean, error?: string): EndpointHealth => ({
    reachable: healthy,
    healthy,
    models: healthy ? [{ id: localModelId(modelPath), root: modelPath, parent: null, maxModelLen: null }] : [],
    latencyMs: Math.round(performance.now() - started),
    ...(error ? { error } : {}),
  });
  let file: Awaited<ReturnType<typeof open>> | undefined;
  try {
    file = await open(modelPath, "r");
    const magic = Buffer.alloc(4);
    await file.read(magic, 0, 4, 0);
    return magic.toString("latin1") === "GGUF" ? result(true) : result(false, `${modelPath} is not a GGUF file`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return result(false, code === "ENOENT" ? `${modelPath} does not exist` : `${modelPath} cannot be read (${code})`);
  } finally {
    await file?.close();
  }
}

export function probeDefaultModel(config: DefaultModelConfig): Promise<EndpointHealth> {
  return config.kind === "remote" ? probeEndpoint(config.endpoint) : probeLocalModel(config.path);
}
