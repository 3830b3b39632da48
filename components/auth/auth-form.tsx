"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions";
import { signInAction, signUpAction } from "@/lib/users/actions";

type Mode = "signin" | "signup";

const COPY = {
  signin: {
    submit: "Sign in",
    pending: "Signing in…",
    switchText: "New to Troupe?",
    switchLink: "Create an account",
    switchHref: "/signup",
  },
  signup: {
    submit: "Create account",
    pending: "Creating…",
    switchText: "Already have an account?",
    switchLink: "Sign in",
    switchHref: "/login",
  },
} as const;

export function AuthForm({ mode, next }: { mode: Mode; next?: string }) {
  const [state, formAction, pending] = useActionState<ActionResult | null, FormData>(
    mode === "signin" ? signInAction : signUpAction,
    null,
  );
  // Controlled fields: React resets uncontrolled ones after every action, which would wipe
  // what the user typed whenever sign-in fails.
  const [values, setValues] = useState({ name: "", email: "", password: "" });
  const bind = (name: keyof typeof values) => ({
    name,
    value: values[name],
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [name]: event.target.value }),
  });
  const error = state && !state.ok ? state.error : null;
  const fieldError = (name: string) => error?.fields?.[name]?.join(" ");
  const copy = COPY[mode];
  const switchHref = next ? `${copy.switchHref}?next=${encodeURIComponent(next)}` : copy.switchHref;

  return (
    <form action={formAction} className="space-y-4" noValidate data-testid={`${mode}-form`}>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      {error && !error.fields ? <Alert variant="error" description={error.message} data-testid="form-error" /> : null}
      {mode === "signup" ? (
        <Field label="Name" htmlFor="name" error={fieldError("name")}>
          <Input
            {...bind("name")}
            autoComplete="name"
            required
            maxLength={80}
            {...fieldAria("name", fieldError("name"))}
          />
        </Field>
      ) : null}
      <Field label="Email" htmlFor="email" error={fieldError("email")}>
        <Input
          {...bind("email")}
          type="email"
          autoComplete="email"
          required
          {...fieldAria("email", fieldError("email"))}
        />
      </Field>
      <Field
        label="Password"
        htmlFor="password"
        error={fieldError("password")}
        hint={mode === "signup" ? "At least 8 characters." : undefined}
      >
        <Input
          {...bind("password")}
          type="password"
          autoComplete={mode === "signup" ? "new-password" : "current-password"}
          required
          {...fieldAria("password", fieldError("password"))}
        />
      </Field>
      <Button type="submit" className="w-full" loading={pending} data-testid="auth-submit">
        {pending ? copy.pending : copy.submit}
      </Button>
      <p className="text-center text-sm text-muted-foreground">
        {copy.switchText}{" "}
        <Link href={switchHref} className="font-medium text-primary underline-offset-4 hover:underline">
          {copy.switchLink}
        </Link>
      </p>
    </form>
  );
}
