// What the endpoint says about a model (its context length), cached briefly so a chat turn does
// not pay a /v1/models round trip.
import { type Endpoint, listModels } from "./endpoint";

const TTL_MS = 60_000;
/** Used when a server does not report max_model_len (generic OpenAI-compatible servers). */
export const FALLBACK_CONTEXT_TOKENS = 4096;

const cache = new Map<string, { at: number; lengths: Map<string, number | null> }>();

export async function maxModelLen(endpoint: Endpoint, modelId: string): Promise<number> {
  const key = endpoint.apiUrl;
  let entry = cache.get(key);
  if (!entry || Date.now() - entry.at > TTL_MS || !entry.lengths.has(modelId)) {
    const models = await listModels(endpoint).catch(() => null);
    if (models) {
      const lengths = new Map(models.map((model) => [model.id, model.maxModelLen]));
      // LoRA entries do not report a length; they share their base model's.
      for (const model of models) {
        if (model.maxModelLen === null && model.parent) lengths.set(model.id, lengths.get(model.parent) ?? null);
      }
      entry = { at: Date.now(), lengths };
      cache.set(key, entry);
    }
  }
  return entry?.lengths.get(modelId) ?? FALLBACK_CONTEXT_TOKENS;
}
