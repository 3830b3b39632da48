/**
 * Response bodies and SSE frames of /v1/chat/completions and /v1/completions, field for field as
 * vLLM writes them. Per-token frames are built by string concatenation around a precomputed
 * prefix, because hundreds of streams emit thousands of them per second.
 */

import type { DecodedChoice, TokenLogprob } from "./generate";

export type Endpoint = "chat" | "text";

export interface Usage {
  prompt_tokens: number;
  total_tokens: number;
  completion_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

export function usage(promptTokens: number, completionTokens: number, cachedTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    total_tokens: promptTokens + completionTokens,
    completion_tokens: completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens },
  };
}

export interface ResponseIdentity {
  id: string;
  created: number;
  model: string;
}

const bytes = (token: string) => [...Buffer.from(token, "utf8")];

/** Chat `logprobs.content` entries. */
function chatLogprobs(entries: readonly TokenLogprob[]): unknown {
  return {
    content: entries.map((e) => ({
      token: e.token,
      logprob: e.logprob,
      bytes: bytes(e.token),
      top_logprobs: e.top.map((t) => ({ token: t.token, logprob: t.logprob, bytes: bytes(t.token) })),
    })),
  };
}

/** Legacy completions logprobs: parallel arrays. */
function textLogprobs(entries: readonly TokenLogprob[], startOffset: number): unknown {
  let offset = startOffset;
  return {
    text_offset: entries.map((e) => {
      const at = offset;
      offset += e.token.length;
      return at;
    }),
    token_logprobs: entries.map((e) => e.logprob),
    tokens: entries.map((e) => e.token),
    top_logprobs: entries.map((e) => Object.fromEntries(e.top.map((t) => [t.token, t.logprob]))),
  };
}

export interface FinishedChoice {
  index: number;
  decoded: DecodedChoice;
  logprobs: TokenLogprob[] | null;
}

/** The non-streaming response body. */
export function completionBody(
  endpoint: Endpoint,
  identity: ResponseIdentity,
  choices: readonly FinishedChoice[],
  totals: Usage,
): unknown {
  if (endpoint === "chat") {
    return {
      id: identity.id,
      object: "chat.completion",
      created: identity.created,
      model: identity.model,
      choices: choices.map((c) => ({
        index: c.index,
        message: {
          role: "assistant",
          content: c.decoded.text,
          refusal: null,
          annotations: null,
          audio: null,
          function_call: null,
          tool_calls: [],
          reasoning_content: null,
        },
        logprobs: c.logprobs ? chatLogprobs(c.logprobs) : null,
        finish_reason: c.decoded.finishReason,
        stop_reason: c.decoded.stopReason,
      })),
      service_tier: null,
      system_fingerprint: null,
      usage: totals,
      prompt_logprobs: null,
      kv_transfer_params: null,
    };
  }
  return {
    id: identity.id,
    object: "text_completion",
    created: identity.created,
    model: identity.model,
    choices: choices.map((c) => ({
      index: c.index,
      text: c.decoded.text,
      logprobs: c.logprobs ? textLogprobs(c.logprobs, 0) : null,
      finish_reason: c.decoded.finishReason,
      stop_reason: c.decoded.stopReason,
      prompt_logprobs: null,
    })),
    service_tier: null,
    system_fingerprint: null,
    usage: totals,
    kv_transfer_params: null,
  };
}

export const DONE_FRAME = "data: [DONE]\n\n";

/** SSE frames of one streamed response. */
export class StreamFrames {
  private readonly head: string;
  private readonly tail: string;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly identity: ResponseIdentity,
    private readonly includeUsage: boolean,
  ) {
    const object = endpoint === "chat" ? "chat.completion.chunk" : "text_completion";
    this.head = `data: {"id":${JSON.stringify(identity.id)},"object":"${object}","created":${identity.created},"model":${JSON.stringify(identity.model)},"choices":[`;
    this.tail = includeUsage ? '],"usage":null}\n\n' : "]}\n\n";
  }

  /** Chat streams open each choice with an assistant role delta; completions have none. */
  opening(index: number): string {
    if (this.endpoint !== "chat") return "";
    return `${this.head}{"index":${index},"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}${this.tail}`;
  }

  token(index: number, text: string, logprob: TokenLogprob | null, textOffset: number): string {
    const logprobs =
      logprob === null
        ? "null"
        : JSON.stringify(this.endpoint === "chat" ? chatLogprobs([logprob]) : textLogprobs([logprob], textOffset));
    const content = JSON.stringify(text);
    return this.endpoint === "chat"
      ? `${this.head}{"index":${index},"delta":{"content":${content}},"logprobs":${logprobs},"finish_reason":null}${this.tail}`
      : `${this.head}{"index":${index},"text":${content},"logprobs":${logprobs},"finish_reason":null,"stop_reason":null}${this.tail}`;
  }

  finish(index: number, decoded: DecodedChoice): string {
    const end = `"logprobs":null,"finish_reason":"${decoded.finishReason}","stop_reason":${JSON.stringify(decoded.stopReason)}}`;
    const body =
      this.endpoint === "chat"
        ? `{"index":${index},"delta":{"content":""},${end}`
        : `{"index":${index},"text":"",${end}`;
    return `${this.head}${body}${this.tail}`;
  }

  /** The closing `{choices: [], usage}` chunk, sent only when stream_options asks for usage. */
  usage(totals: Usage): string {
    if (!this.includeUsage) return "";
    const { id, created, model } = this.identity;
    const object = this.endpoint === "chat" ? "chat.completion.chunk" : "text_completion";
    return `data: ${JSON.stringify({ id, object, created, model, choices: [], usage: totals })}\n\n`;
  }
}

/** An error after the 200 has gone out arrives as an event, then [DONE]. */
export function errorFrame(message: string, status: number, type: string): string {
  return `data: ${JSON.stringify({ error: { message, type, param: null, code: status } })}\n\n${DONE_FRAME}`;
}
