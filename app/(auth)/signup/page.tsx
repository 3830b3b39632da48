import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { getCurrentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  if (await getCurrentUser()) redirect("/characters");
  return (
    <>
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Create your Troupe account</h1>
        <p className="text-sm text-muted-foreground">Build characters, chat with them, and help train better ones.</p>
      </div>
      <AuthForm mode="signup" next={typeof next === "string" ? next : undefined} />
    </>
  );
}
