// What each role may do, in one table, plus per-entity checks the domains add to.
import type { Role } from "@/generated/prisma/enums";

export const ROLE_ABILITIES = {
  USER: ["chat", "manage_own_characters", "rate", "manage_own_account"],
  ADMIN: [
    "chat",
    "manage_own_characters",
    "rate",
    "manage_own_account",
    "manage_users",
    "manage_models",
    "run_synthesis",
    "curate",
    "manage_datasets",
    "run_evaluations",
  ],
} as const satisfies Record<Role, readonly string[]>;

export type Ability = (typeof ROLE_ABILITIES)[Role][number];

export type Actor = { id: string; role: Role };

export function can(actor: Actor | null, ability: Ability): boolean {
  if (!actor) return false;
  return (ROLE_ABILITIES[actor.role] as readonly string[]).includes(ability);
}

export function isAdmin(actor: Actor | null): boolean {
  return actor?.role === "ADMIN";
}

/** An admin may change anyone's role except their own, so the last admin cannot lock everyone out. */
export function canChangeRole(actor: Actor, targetUserId: string): boolean {
  return can(actor, "manage_users") && actor.id !== targetUserId;
}
