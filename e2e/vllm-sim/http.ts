/** HTTP plumbing shared by the simulator's routes: vLLM's error envelope and body reading. */

import type { IncomingMessage, ServerResponse } from "node:http";

const ERROR_TYPES: Record<number, string> = {
  400: "BadRequestError",
  404: "NotFoundError",
  500: "InternalServerError",
  503: "ServiceUnavailableError",
};

/** An error vLLM reports as `{"error": {message, type, param, code}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }

  get body(): { error: { message: string; type: string; param: string | null; code: number } } {
    return {
      error: {
        message: this.message,
        type: ERROR_TYPES[this.status] ?? "InternalServerError",
        param: this.param,
        code: this.status,
      },
    };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = "text/plain; charset=utf-8",
): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, error.body);
}

/** FastAPI's answer for a route that does not exist. */
export function sendNotFound(res: ServerResponse): void {
  sendJson(res, 404, { detail: "Not Found" });
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(400, `Request body exceeds ${MAX_BODY_BYTES} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Parsed JSON, the raw text when it is not JSON, or null when empty. */
export function parseJsonBody(text: string): { json: unknown; valid: boolean } {
  if (text.trim() === "") return { json: null, valid: true };
  try {
    return { json: JSON.parse(text), valid: true };
  } catch {
    return { json: text, valid: false };
  }
}

/** vLLM turns FastAPI validation errors into a 400 whose message is pydantic's error list. */
export function validationError(
  issues: readonly { type: string; loc: readonly (string | number)[]; msg: string }[],
): ApiError {
  // Python's repr of the tuple and strings.
  const quote = (part: string | number) =>
    typeof part === "number" ? String(part) : `'${part.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  const lines = issues.map(
    (issue) =>
      `  {'type': '${issue.type}', 'loc': (${["body", ...issue.loc].map(quote).join(", ")}), 'msg': ${quote(issue.msg)}}`,
  );
  const count = `${issues.length} validation error${issues.length === 1 ? "" : "s"}`;
  return new ApiError(400, `${count}:\n${lines.join("\n")}`);
}
