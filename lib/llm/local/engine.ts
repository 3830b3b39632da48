// The local CPU engine: llama.cpp in-process through node-llama-cpp's prebuilt binaries (no
// download, no compile). One loaded model per GGUF file, loaded on first use and kept; each model
// has one context with a fixed number of slots (context sequences, LOCAL_MODEL_MAX_CONCURRENCY)
// and a FIFO queue for requests beyond them. A slot keeps its last conversation's tokens, so the
// next request sharing that prefix (the same character, the next turn) skips re-reading it.
import { open, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type {
  ChatWrapper,
  GbnfJsonSchema,
  Llama,
  LlamaContext,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
  Token,
} from "node-llama-cpp";
import { parseBaseEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** Used when LOCAL_MODEL_CONTEXT is unset and the model was trained on a longer context. */
export const DEFAULT_CONTEXT_CAP = 4096;

export type LocalEngineOptions = {
  /** CPU threads for evaluation. Always explicit: on 2 cores llama.cpp's default of 4 ran ~700× slower. */
  threads: number;
  /** Replies generated at once; more requests wait in a FIFO queue. */
  maxConcurrency: number;
  /** Context window per reply in tokens; null means the model's, capped at DEFAULT_CONTEXT_CAP. */
  contextSize: number | null;
};

export function localEngineOptions(env: NodeJS.ProcessEnv = process.env): LocalEngineOptions {
  const parsed = parseBaseEnv(env);
  return {
    threads: parsed.LOCAL_MODEL_THREADS ?? os.availableParallelism(),
    maxConcurrency: parsed.LOCAL_MODEL_MAX_CONCURRENCY ?? 2,
    contextSize: parsed.LOCAL_MODEL_CONTEXT ?? null,
  };
}

type NodeLlamaCpp = typeof import("node-llama-cpp");

/** A slot held by one request. Release it exactly once; `reset` drops its cached tokens. */
export type LocalSlot = {
  sequence: LlamaContextSequence;
  release(options?: { reset?: boolean }): void;
};

type Waiter = { prompt: Token[] | undefined; grant: (slot: LocalSlot) => void; fail: (error: unknown) => void };

const LOG_PREFIX = "[local-model]";

function unavailable(message: string): AppError {
  return new AppError("upstream_unavailable:local_model", message);
}

export class LocalEngine {
  private readonly idle: LlamaContextSequence[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private created = 0;
  private active = 0;
  private disposed = false;

  constructor(
    readonly lib: NodeLlamaCpp,
    readonly modelPath: string,
    readonly model: LlamaModel,
    private readonly context: LlamaContext,
    readonly chatWrapper: ChatWrapper,
    readonly maxConcurrency: number,
  ) {}

  /** Tokens one reply can see (prompt + output); llama.cpp rounds the requested size up to 256. */
  get contextSize(): number {
    return this.context.contextSize;
  }

  get stats(): { active: number; queued: number } {
    return { active: this.active, queued: this.waiters.length };
  }

  /**
   * Wait for a free slot (FIFO). With `prompt`, prefer the idle slot that already holds the
   * longest prefix of it. Aborting while queued removes the request and rejects with the reason.
   */
  acquire(options: { prompt?: Token[]; signal?: AbortSignal } = {}): Promise<LocalSlot> {
    const { prompt, signal } = options;
    if (this.disposed) return Promise.reject(unavailable("The local model was unloaded."));
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.maxConcurrency) return Promise.resolve(this.grant(prompt));
    return new Promise<LocalSlot>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        prompt,
        grant: (slot) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(slot);
        },
        fail: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private grant(prompt: Token[] | undefined): LocalSlot {
    this.active++;
    const sequence = this.takeSequence(prompt);
    let released = false;
    return {
      sequence,
      release: ({ reset = false } = {}) => {
        if (released) return;
        released = true;
        if (reset && !sequence.disposed && !this.disposed) {
          void sequence
            .clearHistory()
            .catch(() => {})
            .finally(() => this.handBack(sequence));
        } else {
          this.handBack(sequence);
        }
      },
    };
  }

  private handBack(sequence: LlamaContextSequence): void {
    this.active--;
    if (this.disposed) return;
    if (sequence.disposed) this.created--;
    else this.idle.push(sequence);
    const next = this.waiters.shift();
    if (next) next.grant(this.grant(next.prompt));
  }

  private takeSequence(prompt: Token[] | undefined): LlamaContextSequence {
    let best = -1;
    let bestShared = 0;
    if (prompt) {
      this.idle.forEach((sequence, index) => {
        const shared = sequence.compareContextTokens(prompt).firstDifferentIndex;
        if (shared > bestShared) {
          bestShared = shared;
          best = index;
        }
      });
    }
    if (best < 0) {
      // Nothing to reuse: a fresh slot if one is left, else the most recently used idle one.
      if (this.created < this.maxConcurrency) {
        this.created++;
        return this.context.getSequence();
      }
      best = this.idle.length - 1;
    }
    const [sequence] = this.idle.splice(best, 1);
    if (!sequence) throw new Error("local engine: no idle sequence although a slot was free");
    return sequence;
  }

  /** A grammar that only lets the model write JSON (matching `schema` when given); cached per schema. */
  jsonGrammar(schema?: GbnfJsonSchema): Promise<LlamaGrammar> {
    const key = schema === undefined ? "" : JSON.stringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar =
        schema === undefined
          ? this.model.llama.getGrammarFor("json")
          : this.model.llama.createGrammarForJsonSchema<GbnfJsonSchema>(schema);
      grammar.catch(() => this.grammars.delete(key));
      this.grammars.set(key, grammar);
    }
    return grammar;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const waiter of this.waiters.splice(0)) waiter.fail(unavailable("The local model was unloaded."));
    await this.context.dispose();
    await this.model.dispose();
  }
}

let llamaInstance: Promise<{ lib: NodeLlamaCpp; llama: Llama }> | null = null;
const engines = new Map<string, Promise<LocalEngine>>();

function startLlama(threads: number): Promise<{ lib: NodeLlamaCpp; llama: Llama }> {
  llamaInstance ??= (async () => {
    // A dynamic import: node-llama-cpp is ESM with top-level await, which CommonJS cannot require.
    const lib = await import("node-llama-cpp");
    try {
      const llama = await lib.getLlama({
        gpu: false,
        build: "never",
        maxThreads: threads,
        progressLogs: false,
        logLevel: lib.LlamaLogLevel.warn,
        logger: (level, message) => {
          const text = message.trim();
          if (!text) return;
          if (level === lib.LlamaLogLevel.warn) console.warn(LOG_PREFIX, text);
          else console.error(LOG_PREFIX, text);
        },
      });
      return { lib, llama };
    } catch (error) {
      console.error(LOG_PREFIX, "llama.cpp did not start", error);
      throw unavailable("The local CPU engine (llama.cpp) could not start on this machine; see the server log.");
    }
  })();
  llamaInstance.catch(() => {
    llamaInstance = null;
  });
  return llamaInstance;
}

async function checkModelFile(modelPath: string): Promise<void> {
  const name = path.basename(modelPath);
  const hint = "Run `npx troupe models pull`, or set LOCAL_MODEL_PATH to a GGUF model file.";
  const info = await stat(modelPath).catch(() => null);
  if (!info?.isFile()) {
    console.error(LOG_PREFIX, `no model file at ${modelPath}`);
    throw unavailable(`The local model file ${name} does not exist. ${hint}`);
  }
  const handle = await open(modelPath, "r");
  try {
    const magic = Buffer.alloc(4);
    await handle.read(magic, 0, 4, 0);
    if (magic.toString("latin1") !== "GGUF") {
      console.error(LOG_PREFIX, `${modelPath} does not start with the GGUF magic`);
      throw unavailable(`The local model file ${name} is not a GGUF model. ${hint}`);
    }
  } finally {
    await handle.close();
  }
}

async function loadEngine(modelPath: string, options: LocalEngineOptions): Promise<LocalEngine> {
  await checkModelFile(modelPath);
  const { lib, llama } = await startLlama(options.threads);
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath });
  } catch (error) {
    console.error(LOG_PREFIX, `loading ${modelPath} failed`, error);
    throw unavailable(
      `The local model file ${path.basename(modelPath)} could not be loaded (damaged, or an architecture this llama.cpp does not support).`,
    );
  }
  try {
    const trained = model.trainContextSize;
    if (options.contextSize !== null && options.contextSize > trained) {
      console.warn(
        LOG_PREFIX,
        `LOCAL_MODEL_CONTEXT ${options.contextSize} exceeds the model's ${trained}; using ${trained}`,
      );
    }
    const contextSize = Math.min(options.contextSize ?? DEFAULT_CONTEXT_CAP, trained);
    const context = await model.createContext({
      contextSize,
      sequences: options.maxConcurrency,
      threads: options.threads,
    });
    const chatWrapper = lib.resolveChatWrapper(model);
    return new LocalEngine(lib, modelPath, model, context, chatWrapper, options.maxConcurrency);
  } catch (error) {
    await model.dispose().catch(() => {});
    console.error(LOG_PREFIX, `preparing ${modelPath} failed`, error);
    throw unavailable(
      `The local model ${path.basename(modelPath)} could not be prepared (not enough memory for its context? Lower LOCAL_MODEL_CONTEXT or LOCAL_MODEL_MAX_CONCURRENCY).`,
    );
  }
}

/** The engine for a GGUF file, loaded on first use with the environment's options. */
export function getLocalEngine(modelPath: string): Promise<LocalEngine> {
  const key = path.resolve(modelPath);
  let engine = engines.get(key);
  if (!engine) {
    engine = loadEngine(key, localEngineOptions());
    // A failed load is not cached: fixing the file and retrying must work without a restart.
    engine.catch(() => engines.delete(key));
    engines.set(key, engine);
  }
  return engine;
}

/** Tokens one reply can see with this model (prompt + output), for prompt budgeting. */
export async function localContextLength(modelPath: string): Promise<number> {
  return (await getLocalEngine(modelPath)).contextSize;
}

/** Unload every model and llama.cpp itself (tests; the next use loads again with the current env). */
export async function disposeLocalEngines(): Promise<void> {
  const loaded = [...engines.values()];
  engines.clear();
  await Promise.all(loaded.map((engine) => engine.then((e) => e.dispose()).catch(() => {})));
  const instance = llamaInstance;
  llamaInstance = null;
  if (instance) await instance.then(({ llama }) => llama.dispose()).catch(() => {});
}
