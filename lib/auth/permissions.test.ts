import { describe, expect, it } from "vitest";
import { can, canChangeRole, isAdmin } from "./permissions";

describe("role table", () => {
  const user = { id: "u1", role: "USER" as const };
  const admin = { id: "a1", role: "ADMIN" as const };

  it("users chat and manage their own things but nothing admin", () => {
    expect(can(user, "chat")).toBe(true);
    expect(can(user, "manage_users")).toBe(false);
    expect(can(user, "curate")).toBe(false);
    expect(isAdmin(user)).toBe(false);
  });

  it("admins can do everything users can and more", () => {
    expect(can(admin, "chat")).toBe(true);
    expect(can(admin, "manage_users")).toBe(true);
    expect(isAdmin(admin)).toBe(true);
  });

  it("nobody signed in can do nothing", () => {
    expect(can(null, "chat")).toBe(false);
  });

  it("an admin cannot change their own role", () => {
    expect(canChangeRole(admin, "u1")).toBe(true);
    expect(canChangeRole(admin, "a1")).toBe(false);
    expect(canChangeRole(user, "u2")).toBe(false);
  });
});
