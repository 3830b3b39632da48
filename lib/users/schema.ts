import { z } from "zod";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { error: "Email is too long." })
  .pipe(z.email({ error: "Enter a valid email address." }));

export const passwordSchema = z
  .string()
  .min(8, { error: "Use at least 8 characters." })
  .max(128, { error: "Use at most 128 characters." });

export const signUpSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: "Tell us what to call you." })
    .max(80, { error: "Keep it under 80 characters." }),
  email: emailSchema,
  password: passwordSchema,
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, { error: "Enter your password." }).max(128),
});
export type SignInInput = z.infer<typeof signInSchema>;

export const consentSchema = z.object({ trainingConsent: z.boolean() });

export const roleSchema = z.enum(["USER", "ADMIN"]);

export const changeRoleSchema = z.object({ userId: z.string().min(1).max(64), role: roleSchema });

export const deleteAccountSchema = z.object({
  confirmEmail: emailSchema,
});

export const createUserSchema = signUpSchema.extend({ admin: z.boolean().default(false) });
export type CreateUserInput = z.infer<typeof createUserSchema>;

/** What the app shows about a user; never the password hash. */
export type PublicUser = {
  id: string;
  email: string;
  name: string;
  role: "USER" | "ADMIN";
  trainingConsent: boolean;
  consentChangedAt: Date | null;
  createdAt: Date;
};
