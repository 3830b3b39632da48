"use client";

import { Sparkles } from "lucide-react";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { toast } from "@/components/ui/toast";
import { createCharacterAction, generateFromPersonaAction, saveCharacterAction } from "@/lib/characters/actions";
import { type Profile, profileSchema, type Visibility } from "@/lib/characters/schema";
import { AreaField, TextField, TextListField } from "./editor-fields";
import { FactsEditor } from "./facts-editor";
import { LorebookEditor } from "./lorebook-editor";
import { PromptPreview } from "./prompt-preview";

type Props = {
  characterId?: string;
  initial: { profile: Profile; tags: string[]; visibility: Visibility; version?: number };
  userName: string;
  modelConnected: boolean;
};

/** Field-path → first message, from zod issues or a server response. */
function messagesByField(issues: { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".");
    map[key] ??= issue.message;
  }
  return map;
}

export function CharacterEditor({ characterId, initial, userName, modelConnected }: Props) {
  const router = useRouter();
  const [profile, setProfile] = useState<Profile>(initial.profile);
  const [tagsText, setTagsText] = useState(initial.tags.join(", "));
  const [visibility, setVisibility] = useState<Visibility>(initial.visibility);
  const [note, setNote] = useState("");
  const [persona, setPersona] = useState("");
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [saving, startSaving] = useTransition();
  const [generating, startGenerating] = useTransition();

  const validation = useMemo(() => profileSchema.safeParse(profile), [profile]);
  const clientErrors = validation.success ? {} : messagesByField(validation.error.issues);
  const errorFor = (field: string) => {
    const message = serverErrors[`profile.${field}`] ?? serverErrors[field] ?? clientErrors[field];
    // "required" problems wait for a save attempt; length problems show at once.
    return message && (attempted || profile[field as keyof Profile] !== "") ? message : undefined;
  };
  const set =
    <K extends keyof Profile>(key: K) =>
    (value: Profile[K]) =>
      setProfile((current) => ({ ...current, [key]: value }));
  const tags = tagsText
    .split(",")
    .map((tag) => tag.trim().toLowerCase())
    .filter(Boolean);

  function save() {
    setAttempted(true);
    if (!validation.success) {
      toast({
        title: "Some fields need attention",
        description: validation.error.issues[0]?.message,
        variant: "error",
      });
      return;
    }
    startSaving(async () => {
      const input = { profile: validation.data, tags, visibility, note, expectedVersion: initial.version };
      const result = characterId ? await saveCharacterAction(characterId, input) : await createCharacterAction(input);
      if (!result.ok) {
        setServerErrors(
          result.error.fields
            ? Object.fromEntries(Object.entries(result.error.fields).map(([k, v]) => [k, v[0] ?? ""]))
            : {},
        );
        toast({ title: "Not saved", description: result.error.message, variant: "error" });
        return;
      }
      setServerErrors({});
      if (characterId) {
        const data = result.data as { number: number; changed: boolean };
        toast({ title: data.changed ? `Saved as version ${data.number}` : "No changes to save", variant: "success" });
        router.push(`/characters/${characterId}`);
      } else {
        toast({ title: "Character created", variant: "success" });
        router.push(`/characters/${(result.data as { id: string }).id}`);
      }
      router.refresh();
    });
  }

  function generate() {
    startGenerating(async () => {
      const result = await generateFromPersonaAction(persona);
      if (!result.ok) {
        toast({
          title: "Could not generate a profile",
          description: result.error.fields?._?.[0] ?? result.error.message,
          variant: "error",
        });
        return;
      }
      setProfile((current) => ({ ...current, ...result.data.profile, lorebook: current.lorebook, card: current.card }));
      if (result.data.tags.length > 0) setTagsText(result.data.tags.join(", "));
      toast({ title: "Profile generated — review it, then save", variant: "success" });
    });
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
      <form
        className="space-y-6"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
        noValidate
        data-testid="character-editor"
      >
        <section className="space-y-2 rounded-lg border border-border p-4" aria-labelledby="persona-heading">
          <h2 id="persona-heading" className="text-sm font-medium">
            Generate from persona
          </h2>
          {modelConnected ? (
            <div className="flex flex-col gap-2 sm:flex-row">
              <Input
                aria-label="Persona"
                placeholder="a retired lighthouse keeper who collects sea glass"
                value={persona}
                onChange={(event) => setPersona(event.target.value)}
                data-testid="persona-input"
              />
              <Button
                type="button"
                variant="secondary"
                onClick={generate}
                loading={generating}
                disabled={persona.trim().length < 8}
                data-testid="persona-generate"
              >
                <Sparkles aria-hidden className="size-4" /> Generate
              </Button>
            </div>
          ) : (
            <p className="text-sm text-muted-foreground">
              Connect a model to generate profiles from a one-sentence persona.
            </p>
          )}
        </section>

        <Tabs defaultValue="identity">
          <TabsList>
            <TabsTrigger value="identity">Identity</TabsTrigger>
            <TabsTrigger value="story">Story</TabsTrigger>
            <TabsTrigger value="knowledge">Knowledge</TabsTrigger>
            <TabsTrigger value="chat">Chat</TabsTrigger>
            <TabsTrigger value="lorebook">Lorebook</TabsTrigger>
          </TabsList>
          <TabsContent value="identity" className="space-y-4">
            <TextField id="name" label="Name" value={profile.name} onChange={set("name")} error={errorFor("name")} />
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                id="nickname"
                label="Nickname"
                hint="{{char}} uses it when set."
                value={profile.nickname}
                onChange={set("nickname")}
                error={errorFor("nickname")}
              />
              <TextField id="age" label="Age" value={profile.age} onChange={set("age")} error={errorFor("age")} />
              <TextField
                id="gender"
                label="Gender"
                value={profile.gender}
                onChange={set("gender")}
                error={errorFor("gender")}
              />
              <TextField
                id="species"
                label="Species / race"
                value={profile.species}
                onChange={set("species")}
                error={errorFor("species")}
              />
              <TextField
                id="birthplace"
                label="Birthplace"
                value={profile.birthplace}
                onChange={set("birthplace")}
                error={errorFor("birthplace")}
              />
              <TextField
                id="occupation"
                label="Occupation"
                value={profile.occupation}
                onChange={set("occupation")}
                error={errorFor("occupation")}
              />
            </div>
            <AreaField
              id="appearance"
              label="Appearance"
              value={profile.appearance}
              onChange={set("appearance")}
              error={errorFor("appearance")}
            />
          </TabsContent>
          <TabsContent value="story" className="space-y-4">
            <AreaField
              id="background"
              label="Background and experience"
              rows={6}
              value={profile.background}
              onChange={set("background")}
              error={errorFor("background")}
            />
            <AreaField
              id="personality"
              label="Personality"
              value={profile.personality}
              onChange={set("personality")}
              error={errorFor("personality")}
            />
            <AreaField
              id="speakingStyle"
              label="Speaking style and habits"
              hint="Catchphrases, dialect, rhythm."
              value={profile.speakingStyle}
              onChange={set("speakingStyle")}
              error={errorFor("speakingStyle")}
            />
          </TabsContent>
          <TabsContent value="knowledge" className="space-y-4">
            <AreaField
              id="description"
              label="Description"
              rows={6}
              value={profile.description}
              onChange={set("description")}
              error={errorFor("description")}
            />
            <TextField
              id="aliases"
              label="Aliases"
              hint="Comma-separated."
              value={profile.aliases.join(", ")}
              onChange={(text) =>
                set("aliases")(
                  text
                    .split(",")
                    .map((alias) => alias.trim())
                    .filter(Boolean),
                )
              }
              error={errorFor("aliases")}
            />
            <FactsEditor facts={profile.facts} onChange={set("facts")} error={errorFor("facts")} />
            <AreaField
              id="knowledgeSummary"
              label="Knowledge summary"
              value={profile.knowledgeSummary}
              onChange={set("knowledgeSummary")}
              error={errorFor("knowledgeSummary")}
            />
            <AreaField
              id="knowledgeBoundary"
              label="Knowledge boundary"
              hint="What this character cannot know: later eras, other fields, things beyond their age."
              value={profile.knowledgeBoundary}
              onChange={set("knowledgeBoundary")}
              error={errorFor("knowledgeBoundary")}
            />
          </TabsContent>
          <TabsContent value="chat" className="space-y-4">
            <AreaField
              id="greeting"
              label="Greeting"
              value={profile.greeting}
              onChange={set("greeting")}
              error={errorFor("greeting")}
            />
            <TextListField
              id="alternateGreetings"
              label="Alternate greetings"
              hint="Offered as swipes of the first message."
              addLabel="Add greeting"
              values={profile.alternateGreetings}
              onChange={set("alternateGreetings")}
              error={errorFor("alternateGreetings")}
            />
            <AreaField
              id="scenario"
              label="Scenario"
              value={profile.scenario}
              onChange={set("scenario")}
              error={errorFor("scenario")}
            />
            <AreaField
              id="exampleDialogues"
              label="Example dialogues"
              hint="Separate dialogues with <START>."
              rows={6}
              value={profile.exampleDialogues}
              onChange={set("exampleDialogues")}
              error={errorFor("exampleDialogues")}
            />
            <AreaField
              id="systemPrompt"
              label="System prompt override"
              hint="Replaces Troupe's default; {{original}} inserts the default."
              value={profile.systemPrompt}
              onChange={set("systemPrompt")}
              error={errorFor("systemPrompt")}
            />
            <AreaField
              id="postHistoryInstructions"
              label="Post-history instructions"
              hint="Placed after the chat history."
              value={profile.postHistoryInstructions}
              onChange={set("postHistoryInstructions")}
              error={errorFor("postHistoryInstructions")}
            />
            <AreaField
              id="creatorNotes"
              label="Creator notes"
              hint="Shown to people, never sent to a model."
              value={profile.creatorNotes}
              onChange={set("creatorNotes")}
              error={errorFor("creatorNotes")}
            />
          </TabsContent>
          <TabsContent value="lorebook">
            <LorebookEditor lorebook={profile.lorebook} onChange={set("lorebook")} />
          </TabsContent>
        </Tabs>

        <section className="grid gap-4 rounded-lg border border-border p-4 sm:grid-cols-2" aria-label="Publishing">
          <Field label="Tags" htmlFor="tags" hint="Comma-separated." error={serverErrors.tags}>
            <Input
              value={tagsText}
              onChange={(event) => setTagsText(event.target.value)}
              {...fieldAria("tags", serverErrors.tags, "Comma-separated.")}
              data-testid="field-tags"
            />
          </Field>
          <Field label="Visibility" htmlFor="visibility">
            <select
              id="visibility"
              className="h-9 w-full rounded-md border border-input bg-background px-2 text-sm"
              value={visibility}
              onChange={(event) => setVisibility(event.target.value as Visibility)}
              data-testid="field-visibility"
            >
              <option value="PRIVATE">Private — only you</option>
              <option value="UNLISTED">Unlisted — anyone with the link</option>
              <option value="PUBLIC">Public — listed in the gallery</option>
            </select>
          </Field>
          {characterId ? (
            <Field label="What changed (optional)" htmlFor="note">
              <Input value={note} maxLength={500} onChange={(event) => setNote(event.target.value)} id="note" />
            </Field>
          ) : null}
        </section>

        {attempted && !validation.success ? (
          <Alert variant="error" description="Fix the highlighted fields before saving." data-testid="editor-invalid" />
        ) : null}
        <div className="flex gap-2">
          <Button type="submit" loading={saving} data-testid="save-character">
            {characterId ? "Save new version" : "Create character"}
          </Button>
          <Button type="button" variant="ghost" onClick={() => router.back()}>
            Cancel
          </Button>
        </div>
      </form>
      <aside className="lg:sticky lg:top-20 lg:self-start">
        <PromptPreview profile={profile} userName={userName} />
      </aside>
    </div>
  );
}
