/**
 * The served models: the base model under each `--served-model-name`, plus LoRA adapters from
 * `--lora-modules` or loaded at runtime. Mirrors vLLM's /v1/models cards and its load/unload
 * answers, including the exact success strings and error messages clients match on.
 */

import { randomUUID } from "node:crypto";
import { ApiError } from "./http";
import type { SimOptions } from "./options";

export interface LoraAdapter {
  name: string;
  path: string;
  /** The served base model id this adapter reports as `parent`. */
  base: string;
}

export interface ResolvedModel {
  /** Canonical id: the LoRA name, or the first served name of the base model. */
  id: string;
  lora: LoraAdapter | null;
}

export class ModelRegistry {
  readonly servedNames: readonly string[];
  readonly baseId: string;
  private readonly loras = new Map<string, LoraAdapter>();

  constructor(private readonly options: SimOptions) {
    this.servedNames = options.servedModelName.length > 0 ? options.servedModelName : [options.model];
    this.baseId = this.servedNames[0] ?? options.model;
    for (const module of options.loraModules) {
      this.loras.set(module.name, { name: module.name, path: module.path, base: module.baseModelName ?? this.baseId });
    }
  }

  /** The model a request names; vLLM serves the base model when `model` is omitted. */
  resolve(name: string | null | undefined): ResolvedModel | null {
    if (name === null || name === undefined || this.servedNames.includes(name)) return { id: this.baseId, lora: null };
    const lora = this.loras.get(name);
    return lora ? { id: lora.name, lora } : null;
  }

  get loraNames(): string[] {
    return [...this.loras.keys()];
  }

  /** The body of GET /v1/models. */
  list(): unknown {
    const created = Math.floor(Date.now() / 1000);
    const card = (id: string, root: string, parent: string | null, maxModelLen: number | null) => ({
      id,
      object: "model",
      created,
      owned_by: "vllm",
      root,
      parent,
      max_model_len: maxModelLen,
      permission: [
        {
          id: `modelperm-${randomUUID().replaceAll("-", "")}`,
          object: "model_permission",
          created,
          allow_create_engine: false,
          allow_sampling: true,
          allow_logprobs: true,
          allow_search_indices: false,
          allow_view: true,
          allow_fine_tuning: false,
          organization: "*",
          group: null,
          is_blocking: false,
        },
      ],
    });
    return {
      object: "list",
      data: [
        ...this.servedNames.map((name) => card(name, this.options.model, null, this.options.maxModelLen)),
        // vLLM leaves max_model_len unset on adapter cards.
        ...[...this.loras.values()].map((lora) => card(lora.name, lora.path, lora.base, null)),
      ],
    };
  }

  /** POST /v1/load_lora_adapter; returns vLLM's plain-text success message. */
  load(name: string | undefined, path: string | undefined): string {
    if (!name || !path) throw new ApiError(400, "Both 'lora_name' and 'lora_path' must be provided.");
    if (!this.options.enableLora) {
      throw new ApiError(400, "LoRA is not enabled. Restart the server with --enable-lora to load adapters.");
    }
    if (this.loras.has(name) || this.servedNames.includes(name)) {
      throw new ApiError(400, `The lora adapter '${name}' has already been loaded.`, "lora_name");
    }
    this.loras.set(name, { name, path, base: this.baseId });
    return `Success: LoRA adapter '${name}' added successfully.`;
  }

  /** POST /v1/unload_lora_adapter; returns vLLM's plain-text success message. */
  unload(name: string | undefined): string {
    if (!name) throw new ApiError(400, "'lora_name' needs to be provided to unload a LoRA adapter.");
    if (!this.loras.delete(name)) {
      throw new ApiError(404, `The lora adapter '${name}' cannot be found.`, "lora_name");
    }
    return `Success: LoRA adapter '${name}' removed successfully.`;
  }
}
