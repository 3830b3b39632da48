import { describe, expect, it } from "vitest";
import { AppError, ERROR_STATUS } from "./errors";

describe("AppError", () => {
  it("maps the type to the HTTP status and keeps the surface", () => {
    const error = new AppError("not_found:character");
    expect(error.status).toBe(404);
    expect(error.type).toBe("not_found");
    expect(error.surface).toBe("character");
    expect(error.toJSON()).toEqual({ error: { code: "not_found:character", message: "Not found." } });
  });

  it("carries field errors into the JSON shape", () => {
    const error = new AppError("bad_request:validation", "Some fields are not valid.", { fields: { email: ["bad"] } });
    expect(error.toJSON().error.fields).toEqual({ email: ["bad"] });
  });

  it("distinguishes 401 from 403", () => {
    expect(ERROR_STATUS.unauthorized).toBe(401);
    expect(ERROR_STATUS.forbidden).toBe(403);
    expect(new AppError("rate_limited:login").status).toBe(429);
  });
});
