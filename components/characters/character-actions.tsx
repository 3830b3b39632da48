"use client";

import { Copy, Download, Pencil, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { StartChatButton } from "@/components/chat/start-chat-button";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { toast } from "@/components/ui/toast";
import { deleteCharacterAction, forkCharacterAction } from "@/lib/characters/actions";
import { AvatarUpload } from "./avatar-upload";

const FORMATS = [
  ["png", "PNG card (V2 + V3)"],
  ["charx", "CHARX archive"],
  ["v3", "JSON, Card V3"],
  ["v2", "JSON, Card V2"],
] as const;

export function CharacterActions({
  id,
  name,
  canEdit,
  canFork,
  canChat,
}: {
  id: string;
  name: string;
  canEdit: boolean;
  canFork: boolean;
  canChat: boolean;
}) {
  const router = useRouter();
  const [forking, startFork] = useTransition();

  function fork() {
    startFork(async () => {
      const result = await forkCharacterAction(id);
      if (!result.ok) {
        toast({ title: "Could not fork", description: result.error.message, variant: "error" });
        return;
      }
      toast({ title: `Forked ${name} into your characters`, variant: "success" });
      router.push(`/characters/${result.data.id}`);
    });
  }

  async function remove() {
    const result = await deleteCharacterAction(id);
    if (!result.ok) {
      toast({ title: "Not deleted", description: result.error.message, variant: "error" });
      return;
    }
    toast({ title: `${name} deleted`, description: "Existing chats stay readable.", variant: "success" });
    router.push("/characters");
  }

  return (
    <div className="flex flex-wrap gap-2">
      <StartChatButton characterId={id} disabled={!canChat} />
      {canEdit ? (
        <Button asChild size="sm" variant="outline">
          <Link href={`/characters/${id}/edit`} data-testid="edit-character">
            <Pencil aria-hidden className="size-4" /> Edit
          </Link>
        </Button>
      ) : null}
      {canFork ? (
        <Button variant="outline" size="sm" onClick={fork} loading={forking} data-testid="fork-character">
          <Copy aria-hidden className="size-4" /> Fork
        </Button>
      ) : null}
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm" data-testid="export-menu">
            <Download aria-hidden className="size-4" /> Export
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent>
          {FORMATS.map(([format, label]) => (
            <DropdownMenuItem key={format} asChild>
              <a href={`/api/characters/${id}/export?format=${format}`} download data-testid={`export-${format}`}>
                {label}
              </a>
            </DropdownMenuItem>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>
      {canEdit ? <AvatarUpload characterId={id} /> : null}
      {canEdit ? (
        <ConfirmDialog
          trigger={
            <Button variant="ghost" size="sm" data-testid="delete-character">
              <Trash2 aria-hidden className="size-4" /> Delete
            </Button>
          }
          title={`Delete ${name}?`}
          description="It disappears from lists and can no longer be edited or forked. Chats with it stay readable."
          confirmLabel="Delete"
          destructive
          onConfirm={remove}
        />
      ) : null}
    </div>
  );
}
