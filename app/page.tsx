import Link from "next/link";
import { redirect } from "next/navigation";
import { Button } from "@/components/ui/button";
import { getCurrentUser } from "@/lib/auth/session";

const LOOP = [
  ["Profile", "Write a character or import a SillyTavern card."],
  ["Chat", "Talk, swipe between replies, edit what the model said."],
  ["Feedback", "Every swipe, edit and thumb becomes a training signal."],
  ["Synthesis", "Generate in-character data with OpenCharacter and Ditto."],
  ["Curation", "Review, deduplicate and freeze dataset versions."],
  ["Fine-tune & serve", "Train a LoRA, register it, route traffic, evaluate."],
] as const;

export default async function HomePage() {
  if (await getCurrentUser()) redirect("/characters");
  return (
    <div className="mx-auto max-w-3xl space-y-10 py-8 sm:py-16">
      <section className="space-y-4">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">
          Characters that get better every time you talk to them.
        </h1>
        <p className="text-lg text-muted-foreground">
          Troupe is an open platform for role-play characters. Chat with them, and the replies you pick, edit and rate
          become the data that fine-tunes the next version.
        </p>
        <div className="flex flex-wrap gap-3">
          <Button asChild size="lg">
            <Link href="/signup">Create an account</Link>
          </Button>
          <Button asChild size="lg" variant="outline">
            <Link href="/login">Sign in</Link>
          </Button>
        </div>
      </section>
      <ol className="grid gap-3 sm:grid-cols-2">
        {LOOP.map(([title, text], index) => (
          <li key={title} className="rounded-lg border border-border bg-card p-4">
            <p className="text-sm text-muted-foreground">{index + 1}</p>
            <p className="font-medium">{title}</p>
            <p className="text-sm text-muted-foreground">{text}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}
