import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { Badge } from "@/components/ui/badge";
import { requireUserPage } from "@/lib/auth/session";
import { diffProfiles } from "@/lib/characters/diff";
import { getCharacterForViewer, getVersion, listVersions } from "@/lib/characters/queries";
import { characterIdSchema } from "@/lib/characters/schema";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Version history" };

const compareSchema = z.object({
  a: z.coerce.number().int().min(1).optional(),
  b: z.coerce.number().int().min(1).optional(),
});

export default async function VersionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string>>;
}) {
  const { id } = await params;
  const user = await requireUserPage(`/characters/${id}/versions`);
  if (!characterIdSchema.safeParse(id).success) notFound();
  const notFoundOn404 = (error: unknown) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  };
  const character = await getCharacterForViewer(user, id).catch(notFoundOn404);
  const versions = await listVersions(user, id);
  const compare = compareSchema.catch({}).parse(await searchParams);
  const newest = versions[0]?.number ?? 1;
  const b = compare.b ?? newest;
  const a = compare.a ?? Math.max(1, b - 1);
  const changes =
    a !== b
      ? diffProfiles(
          await getVersion(user, id, a).catch(notFoundOn404),
          await getVersion(user, id, b).catch(notFoundOn404),
        )
      : [];

  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">
          <Link href={`/characters/${id}`} className="hover:underline">
            {character.name}
          </Link>{" "}
          · history
        </h1>
        <p className="text-sm text-muted-foreground">Every save is a new version; chats keep the version they used.</p>
      </div>
      <ol className="divide-y divide-border rounded-lg border border-border" data-testid="version-list">
        {versions.map((version) => (
          <li key={version.id} className="flex flex-wrap items-center gap-3 p-3 text-sm">
            <Badge variant={version.number === newest ? "default" : "outline"}>v{version.number}</Badge>
            <span className="text-muted-foreground">{version.createdAt.toLocaleString()}</span>
            <span className="min-w-0 flex-1 truncate">{version.note}</span>
            {version.number > 1 ? (
              <Link
                href={`?a=${version.number - 1}&b=${version.number}`}
                className="text-primary underline-offset-4 hover:underline"
              >
                changes
              </Link>
            ) : null}
          </li>
        ))}
      </ol>
      {a !== b ? (
        <section className="space-y-4" data-testid="version-diff">
          <h2 className="text-lg font-medium">
            v{a} → v{b}: {changes.length === 0 ? "no changes" : `${changes.length} field(s) changed`}
          </h2>
          {changes.map((change) => (
            <div key={change.field} className="space-y-1">
              <h3 className="font-mono text-sm">{change.field}</h3>
              <pre className="overflow-auto whitespace-pre-wrap break-words rounded-lg border border-border bg-muted p-3 text-xs">
                {change.parts.map((part, index) => (
                  <span
                    // biome-ignore lint/suspicious/noArrayIndexKey: diff parts are positional
                    key={index}
                    className={part.added ? "bg-success/20" : part.removed ? "bg-destructive/20 line-through" : ""}
                  >
                    {part.value}
                  </span>
                ))}
              </pre>
            </div>
          ))}
        </section>
      ) : null}
    </div>
  );
}
