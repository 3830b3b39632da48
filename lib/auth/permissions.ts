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

type CharacterAccess = { ownerId: string; visibility: "PRIVATE" | "UNLISTED" | "PUBLIC"; deletedAt: Date | null };

/**
 * Public and unlisted characters are readable by anyone signed in (unlisted ones are simply not
 * listed, and their random id is the link); private ones by their owner and admins. A deleted
 * character stays readable to its owner and admins so old chats keep working read-only.
 */
export function canViewCharacter(actor: Actor | null, character: CharacterAccess): boolean {
  if (!actor) return false;
  if (actor.id === character.ownerId || isAdmin(actor)) return true;
  return character.deletedAt === null && character.visibility !== "PRIVATE";
}

export function canEditCharacter(actor: Actor | null, character: CharacterAccess): boolean {
  if (!actor || character.deletedAt !== null) return false;
  return actor.id === character.ownerId || isAdmin(actor);
}

/** Forking copies a character you can see but do not own; deleted ones cannot be forked. */
export function canForkCharacter(actor: Actor | null, character: CharacterAccess): boolean {
  return canViewCharacter(actor, character) && character.deletedAt === null;
}
