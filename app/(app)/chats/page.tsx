import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { CharacterAvatar } from "@/components/characters/character-tile";
import { Pagination } from "@/components/characters/list-controls";
import { ModelStatusBanner } from "@/components/layout/model-status-banner";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { requireUserPage } from "@/lib/auth/session";
import { listConversations } from "@/lib/chat/queries";

export const metadata: Metadata = { title: "Chats" };

const querySchema = z.object({
  q: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

export default async function ChatsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUserPage("/chats");
  const query = querySchema.catch({ page: 1 }).parse(await searchParams);
  const result = await listConversations(user, { search: query.q, page: query.page, pageSize: 30 });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="mr-auto text-2xl font-semibold tracking-tight">Chats</h1>
        <Button asChild size="sm" variant="outline">
          <Link href="/characters/explore">Find a character</Link>
        </Button>
      </div>
      <ModelStatusBanner isAdmin={user.role === "ADMIN"} />
      <search>
        <form action="/chats" className="flex gap-2">
          <input
            name="q"
            defaultValue={query.q}
            placeholder="Search by title or character"
            aria-label="Search chats"
            className="h-9 w-full max-w-sm rounded-md border border-input bg-background px-3 text-sm"
            data-testid="chat-search"
          />
          <Button type="submit" variant="outline" size="sm" className="h-9">
            Search
          </Button>
        </form>
      </search>
      {result.total === 0 ? (
        <EmptyState
          title={query.q ? "No chats match" : "No chats yet"}
          description={query.q ? "Try another search." : "Open a character and start a chat."}
          data-testid="chats-empty"
        />
      ) : (
        <ul className="divide-y divide-border rounded-lg border border-border" data-testid="chat-list">
          {result.items.map((chat) => (
            <li key={chat.id}>
              <Link
                href={chat.mode === "ARENA" ? `/arena/${chat.id}` : `/chat/${chat.id}`}
                className="flex items-center gap-3 p-3 hover:bg-muted"
                data-testid="chat-list-item"
              >
                <CharacterAvatar
                  id={chat.character.id}
                  avatarId={chat.character.avatarId}
                  name={chat.character.name}
                  size={36}
                />
                <div className="min-w-0 flex-1">
                  <p className="truncate font-medium">{chat.title}</p>
                  <p className="truncate text-xs text-muted-foreground">
                    {chat.mode === "ARENA" ? "Arena · " : ""}
                    {chat.character.name} · {chat._count.messages} messages · {chat.updatedAt.toLocaleString()}
                  </p>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Pagination action="/chats" params={query.q ? { q: query.q } : {}} page={result.page} pages={result.pages} />
    </div>
  );
}
