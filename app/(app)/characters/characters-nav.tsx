import Link from "next/link";
import { Button } from "@/components/ui/button";

export function CharactersHeader({ title, current }: { title: string; current: "mine" | "explore" }) {
  const tab = (href: string, label: string, active: boolean) => (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className="rounded-md px-3 py-1.5 text-sm text-muted-foreground hover:text-foreground aria-[current=page]:bg-muted aria-[current=page]:text-foreground"
    >
      {label}
    </Link>
  );
  return (
    <div className="flex flex-wrap items-center gap-3">
      <h1 className="mr-auto text-2xl font-semibold tracking-tight">{title}</h1>
      <nav aria-label="Characters" className="flex gap-1">
        {tab("/characters", "Mine", current === "mine")}
        {tab("/characters/explore", "Gallery", current === "explore")}
      </nav>
      <Button asChild variant="outline" size="sm">
        <Link href="/characters/import">Import cards</Link>
      </Button>
      <Button asChild size="sm">
        <Link href="/characters/new" data-testid="new-character">
          New character
        </Link>
      </Button>
    </div>
  );
}
