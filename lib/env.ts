// The environment, validated once with zod. A bad value stops the process with a message that
// names the variable and says what is wrong, instead of failing later somewhere obscure.
import { z } from "zod";

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());

const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:8000/v1" })
  .transform((value) => value.replace(/\/+$/, ""));

const baseSchema = z.object({
  DATABASE_URL: optional(
    z.url({
      protocol: /^postgres(ql)?$/,
      error: "must be a postgresql:// URL (leave it unset for the embedded database)",
    }),
  ),
  EMBEDDED_PG_PORT: optional(z.coerce.number().int().min(1).max(65535)),
  LLM_BASE_URL: optional(httpUrl),
  LLM_API_KEY: optional(z.string()),
  LLM_MODEL: optional(z.string().min(1)),
  LOCAL_MODEL_PATH: optional(z.string().regex(/\.gguf$/i, { error: "must be the path of a .gguf file" })),
  LOCAL_MODEL_THREADS: optional(z.coerce.number().int().min(1).max(256)),
  LOCAL_MODEL_MAX_CONCURRENCY: optional(z.coerce.number().int().min(1).max(64)),
  LOCAL_MODEL_CONTEXT: optional(z.coerce.number().int().min(256).max(1_048_576)),
  ADMIN_EMAIL: optional(z.email({ error: "must be an email address" })),
  ADMIN_PASSWORD: optional(z.string().min(8, { error: "must be at least 8 characters" }).max(128)),
  PORT: optional(z.coerce.number().int().min(1).max(65535)),
  WORKER_CONCURRENCY: optional(z.coerce.number().int().min(1).max(256)),
  SYNTH_CONCURRENCY: optional(z.coerce.number().int().min(1).max(1024)),
  SYNTH_ENDPOINT_CONCURRENCY: optional(z.coerce.number().int().min(1).max(1024)),
  SYNTH_REQUEST_TIMEOUT_MS: optional(z.coerce.number().int().min(500).max(3_600_000)),
  DB_POOL_SIZE: optional(z.coerce.number().int().min(1).max(200)),
  CURATION_JUDGE: optional(z.enum(["on", "off"], { error: 'must be "on" or "off"' })),
  CURATION_JUDGE_CONCURRENCY: optional(z.coerce.number().int().min(1).max(256)),
  CHAT_FIRST_TOKEN_TIMEOUT_MS: optional(z.coerce.number().int().min(500).max(600_000)),
  CHAT_IDLE_TIMEOUT_MS: optional(z.coerce.number().int().min(500).max(600_000)),
  CHAT_RATE_LIMIT_PER_MINUTE: optional(
    z.coerce.number({ error: "must be a whole number (0 turns the limit off)" }).int().min(0).max(100_000),
  ),
});

const appSchema = baseSchema.extend({
  AUTH_URL: optional(
    z.url({ protocol: /^https?$/, error: "must be the site's public address, such as https://troupe.example.org" }),
  ),
  TRUSTED_PROXY_HOPS: optional(
    z.coerce
      .number({ error: "must be a whole number: the proxies in front of the nearest one (0 for one or none)" })
      .int()
      .min(0)
      .max(16),
  ),
  AUTH_SECRET: z
    .string({ error: "is required (npm start writes one into .env; or run `openssl rand -base64 33`)" })
    .min(32, { error: "must be at least 32 characters (generate one with `openssl rand -base64 33`)" }),
});

type EnvSource = Record<string, string | undefined>;

export type BaseEnv = z.infer<typeof baseSchema>;
export type AppEnv = z.infer<typeof appSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "EnvError";
  }
}

function parse<T extends z.ZodType>(schema: T, source: EnvSource): z.infer<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
}

/** Validate the variables the CLI and scripts need (no AUTH_SECRET). */
export function parseBaseEnv(source: EnvSource = process.env): BaseEnv {
  return parse(baseSchema, source);
}

/** Validate everything the web app needs. */
export function parseAppEnv(source: EnvSource = process.env): AppEnv {
  return parse(appSchema, source);
}

let cached: AppEnv | undefined;

/** The web app's environment, validated on first use (instrumentation.ts calls it at boot). */
export function appEnv(): AppEnv {
  cached ??= parseAppEnv();
  return cached;
}
