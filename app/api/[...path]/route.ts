import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";

/** An API path no handler serves gets the API's JSON 404, not Next's HTML page. */
function notFound(): Response {
  return errorResponse(new AppError("not_found:route", "There is no such API endpoint."));
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
