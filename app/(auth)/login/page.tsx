import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { Alert } from "@/components/ui/alert";
import { getCurrentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; deleted?: string }>;
}) {
  const { next, deleted } = await searchParams;
  if (await getCurrentUser()) redirect("/characters");
  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Sign in to Troupe</h1>
      {deleted ? (
        <Alert variant="success" description="Your account has been deleted." data-testid="account-deleted" />
      ) : null}
      <AuthForm mode="signin" next={typeof next === "string" ? next : undefined} />
    </>
  );
}
