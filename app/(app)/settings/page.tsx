import type { Metadata } from "next";
import { ConsentToggle } from "@/components/settings/consent-toggle";
import { DeleteAccount } from "@/components/settings/delete-account";
import { PersonaForm } from "@/components/settings/persona-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireUserPage } from "@/lib/auth/session";
import { getPersona } from "@/lib/chat/queries";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUserPage("/settings");
  const persona = await getPersona(user);
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <Card>
        <CardHeader>
          <CardTitle>Account</CardTitle>
          <CardDescription>
            {user.name} · {user.email} · {user.role === "ADMIN" ? "admin" : "member"} since{" "}
            {user.createdAt.toLocaleDateString()}
          </CardDescription>
        </CardHeader>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Your persona</CardTitle>
          <CardDescription>Who you are in chats, unless a chat sets its own.</CardDescription>
        </CardHeader>
        <CardContent>
          <PersonaForm initial={persona} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Training data</CardTitle>
          <CardDescription>
            Troupe learns from the replies you choose, edit and rate — but only if you agree. You can change your mind
            at any time.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ConsentToggle initial={user.trainingConsent} changedAt={user.consentChangedAt?.toISOString() ?? null} />
        </CardContent>
      </Card>
      <Card className="border-destructive/40">
        <CardHeader>
          <CardTitle>Delete account</CardTitle>
          <CardDescription>Permanently delete your account and everything in it.</CardDescription>
        </CardHeader>
        <CardContent>
          <DeleteAccount email={user.email} />
        </CardContent>
      </Card>
    </div>
  );
}
