import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CharacterActions } from "@/components/characters/character-actions";
import { CharacterAvatar } from "@/components/characters/character-tile";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { requireUserPage } from "@/lib/auth/session";
import { splitExamples } from "@/lib/characters/prompt";
import { getCharacterForViewer } from "@/lib/characters/queries";
import { characterIdSchema } from "@/lib/characters/schema";
import { isAppError } from "@/lib/errors";
import { modelConnected } from "@/lib/models/routing";

export const metadata: Metadata = { title: "Character" };

function Block({ title, text }: { title: string; text: string }) {
  if (!text.trim()) return null;
  return (
    <section className="space-y-1">
      <h2 className="text-sm font-medium text-muted-foreground">{title}</h2>
      <p className="whitespace-pre-wrap break-words">{text}</p>
    </section>
  );
}

export default async function CharacterPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUserPage(`/characters/${id}`);
  if (!characterIdSchema.safeParse(id).success) notFound();
  const character = await getCharacterForViewer(user, id).catch((error) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  });
  const { profile } = character;
  const connected = await modelConnected();
  const identity = [
    ["Nickname", profile.nickname],
    ["Age", profile.age],
    ["Gender", profile.gender],
    ["Species", profile.species],
    ["Birthplace", profile.birthplace],
    ["Occupation", profile.occupation],
  ].filter(([, value]) => value);

  return (
    <article className="mx-auto max-w-4xl space-y-6" data-testid="character-page">
      {character.deletedAt ? (
        <Alert
          variant="warning"
          title="Deleted"
          description="This character was deleted. Its chats stay readable, but it cannot be edited."
        />
      ) : null}
      <header className="flex flex-col gap-4 sm:flex-row sm:items-start">
        <CharacterAvatar id={character.id} avatarId={character.avatarId} name={character.name} size={96} />
        <div className="min-w-0 flex-1 space-y-2">
          <h1 className="break-words text-2xl font-semibold tracking-tight" data-testid="character-name">
            {character.name}
          </h1>
          <p className="text-sm text-muted-foreground">
            by {character.owner.name} · version {character.versionCount} ·{" "}
            <Link
              href={`/characters/${character.id}/versions`}
              className="underline-offset-4 hover:underline"
              data-testid="versions-link"
            >
              history
            </Link>
            {character.forkedFrom ? (
              <>
                {" "}
                · forked from{" "}
                <Link
                  href={`/characters/${character.forkedFrom.id}`}
                  className="underline-offset-4 hover:underline"
                  data-testid="forked-from"
                >
                  {character.forkedFrom.name}
                </Link>
              </>
            ) : null}
          </p>
          <div className="flex flex-wrap gap-1">
            <Badge variant="outline" data-testid="character-visibility">
              {character.visibility.toLowerCase()}
            </Badge>
            {character.tags.map((tag) => (
              <Badge key={tag} variant="secondary">
                {tag}
              </Badge>
            ))}
          </div>
          <CharacterActions
            id={character.id}
            name={character.name}
            canEdit={character.canEdit}
            canFork={character.deletedAt === null && character.ownerId !== user.id}
            canChat={character.deletedAt === null && connected}
          />
        </div>
      </header>
      {identity.length > 0 ? (
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
          {identity.map(([label, value]) => (
            <div key={label}>
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="break-words">{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <Block title="Description" text={profile.description} />
      <Block title="Appearance" text={profile.appearance} />
      <Block title="Personality" text={profile.personality} />
      <Block title="Background" text={profile.background} />
      <Block title="Speaking style" text={profile.speakingStyle} />
      <Block title="Scenario" text={profile.scenario} />
      <Block title="Greeting" text={profile.greeting} />
      {profile.facts.length > 0 ? (
        <section className="space-y-1">
          <h2 className="text-sm font-medium text-muted-foreground">Facts</h2>
          <ul className="list-inside list-disc text-sm">
            {profile.facts.map((fact) => (
              <li key={`${fact.property}:${fact.value}`}>
                {fact.property}: {fact.value}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Block title="Knowledge boundary" text={profile.knowledgeBoundary} />
      {splitExamples(profile.exampleDialogues).length > 0 ? (
        <Block title="Example dialogues" text={splitExamples(profile.exampleDialogues).join("\n\n———\n\n")} />
      ) : null}
      {profile.lorebook && profile.lorebook.entries.length > 0 ? (
        <p className="text-sm text-muted-foreground">Lorebook: {profile.lorebook.entries.length} entries.</p>
      ) : null}
      <Block title="Creator notes" text={profile.creatorNotes} />
    </article>
  );
}
