import { APICallError } from "ai";
import { describe, expect, it } from "vitest";
import { isTransient } from "@/lib/synthesis/retry";
import { toUpstreamError } from "./errors";

const apiError = (statusCode: number | undefined, extra: { cause?: unknown; responseBody?: string } = {}) =>
  new APICallError({
    message: "failed",
    url: "http://vllm/v1/chat/completions",
    requestBodyValues: {},
    statusCode,
    ...extra,
  });

/** What undici throws when the server closes the socket mid-response. */
function droppedSocket(): Error {
  const socket = Object.assign(new Error("other side closed"), { name: "SocketError", code: "UND_ERR_SOCKET" });
  return new TypeError("terminated", { cause: socket });
}

describe("model failures as the user is told them", () => {
  it("maps statuses, dropped connections and timeouts to codes and retries", () => {
    const cases: [unknown, string, boolean][] = [
      [apiError(401), "upstream_error:auth", false],
      [apiError(404), "upstream_error:model_not_found", false],
      [
        apiError(400, { responseBody: "maximum context length is 4096 tokens" }),
        "upstream_error:context_length",
        false,
      ],
      [apiError(422), "upstream_error:request", false],
      [apiError(503), "upstream_error:server", true],
      // The reply had started (HTTP 200) when the connection dropped: not a rejected request.
      [apiError(200, { cause: droppedSocket() }), "upstream_unavailable:model", true],
      [
        new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:8000") }),
        "upstream_unavailable:model",
        true,
      ],
      [Object.assign(new Error("timed out"), { name: "TimeoutError" }), "upstream_timeout:model", true],
    ];
    for (const [error, code, transient] of cases) {
      const mapped = toUpstreamError(error);
      expect(mapped.code).toBe(code);
      expect(isTransient(mapped)).toBe(transient);
    }
    expect(toUpstreamError(apiError(200, { cause: droppedSocket() })).message).toBe(
      "The connection to the model server was lost.",
    );
  });
});
