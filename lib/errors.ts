// One error type for everything a user or client may be told. The code is `type:surface`
// (e.g. `not_found:character`); the type decides the HTTP status; the message is safe to show.
// Anything else that is thrown is an internal error: logged, never shown.

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  upstream_error: 502,
  upstream_unavailable: 503,
  upstream_timeout: 504,
} as const;

export type ErrorType = keyof typeof ERROR_STATUS;
export type ErrorCode = `${ErrorType}:${string}`;

const DEFAULT_MESSAGES: Record<ErrorType, string> = {
  bad_request: "The request is not valid.",
  unauthorized: "You need to sign in first.",
  forbidden: "You do not have permission to do that.",
  not_found: "Not found.",
  conflict: "That conflicts with something that already exists.",
  payload_too_large: "That is too large.",
  unprocessable: "That could not be processed.",
  rate_limited: "Too many attempts. Please wait a moment and try again.",
  internal: "Something went wrong on our side.",
  upstream_error: "The model server returned an error.",
  upstream_unavailable: "The model server is not reachable.",
  upstream_timeout: "The model server took too long to answer.",
};

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  readonly type: ErrorType;
  readonly surface: string;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details: { fields?: FieldErrors; retryAfterSeconds?: number } = {},
  ) {
    const [type, surface] = code.split(":") as [ErrorType, string];
    super(message ?? DEFAULT_MESSAGES[type]);
    this.name = "AppError";
    this.type = type;
    this.surface = surface;
  }

  get status(): number {
    return ERROR_STATUS[this.type];
  }

  toJSON(): { error: { code: ErrorCode; message: string; fields?: FieldErrors } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details.fields ? { fields: this.details.fields } : {}),
      },
    };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
