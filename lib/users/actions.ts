"use server";
// Account actions behind the sign-in, sign-up, settings and admin forms. Each one parses its
// input and checks who is asking itself: a server action is a public endpoint.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { type ActionResult, runAction } from "@/lib/actions";
import { signIn, signOut } from "@/lib/auth";
import { clientIp } from "@/lib/auth/login";
import { canChangeRole } from "@/lib/auth/permissions";
import { requireRole, requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { parseWith } from "@/lib/http";
import { hitRateLimit, RATE_LIMITS } from "@/lib/rate-limit";
import { changeRole, createUser, deleteUser, setTrainingConsent } from "./queries";
import {
  changeRoleSchema,
  consentSchema,
  deleteAccountSchema,
  type PublicUser,
  signInSchema,
  signUpSchema,
} from "./schema";

/** A form's field; the action is a public endpoint, so its argument may be anything but a form. */
function field(form: unknown, name: string): FormDataEntryValue | null {
  if (!(form instanceof FormData)) throw new AppError("bad_request:validation", "Send the form's fields.");
  return form.get(name);
}

/** Only same-site paths, so `?next=` cannot send anyone to another site. */
function safeReturnPath(value: FormDataEntryValue | null): string {
  const path = typeof value === "string" ? value : "";
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\") ? path : "/characters";
}

async function signInOrExplain(email: string, password: string, redirectTo: string): Promise<void> {
  try {
    await signIn("credentials", { email, password, redirectTo });
  } catch (error) {
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code;
      if (code === "rate_limited") {
        throw new AppError(
          "rate_limited:login",
          "Too many failed sign-ins for this account. Wait 15 minutes and try again.",
        );
      }
      throw new AppError("unauthorized:credentials", "Wrong email or password.");
    }
    throw error;
  }
}

export async function signInAction(_previous: unknown, form: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const input = parseWith(signInSchema, { email: field(form, "email"), password: field(form, "password") });
    await signInOrExplain(input.email, input.password, safeReturnPath(field(form, "next")));
    return undefined;
  });
}

export async function signUpAction(_previous: unknown, form: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const input = parseWith(signUpSchema, {
      name: field(form, "name"),
      email: field(form, "email"),
      password: field(form, "password"),
    });
    // Counted before the account is made, in one statement, so sign-ups sent at once cannot all pass.
    const limit = await hitRateLimit(`signup:${clientIp(await headers())}`, RATE_LIMITS.signUp);
    if (!limit.allowed) {
      throw new AppError("rate_limited:signup", "Too many accounts created from here recently. Try again later.");
    }
    await createUser(input);
    await signInOrExplain(input.email, input.password, safeReturnPath(field(form, "next")));
    return undefined;
  });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}

export async function setConsentAction(trainingConsent: boolean): Promise<ActionResult<PublicUser>> {
  return runAction(async () => {
    const input = parseWith(consentSchema, { trainingConsent });
    const user = await requireUser();
    return setTrainingConsent(user.id, input.trainingConsent);
  });
}

export async function deleteAccountAction(confirmEmail: string): Promise<ActionResult> {
  const result = await runAction(async () => {
    const input = parseWith(deleteAccountSchema, { confirmEmail });
    const user = await requireUser();
    if (input.confirmEmail !== user.email) {
      throw new AppError("bad_request:confirmation", "Type your account's email exactly to confirm.", {
        fields: { confirmEmail: ["This is not your account's email."] },
      });
    }
    await deleteUser(user.id, user.id);
    return undefined;
  });
  if (result.ok) {
    await signOut({ redirect: false });
    redirect("/login?deleted=1");
  }
  return result;
}

export async function changeRoleAction(userId: string, role: "USER" | "ADMIN"): Promise<ActionResult<PublicUser>> {
  return runAction(async () => {
    const input = parseWith(changeRoleSchema, { userId, role });
    const admin = await requireRole("ADMIN");
    if (!canChangeRole(admin, input.userId)) {
      throw new AppError("forbidden:own_role", "You cannot change your own role; ask another admin.");
    }
    return changeRole(admin.id, input.userId, input.role);
  });
}
