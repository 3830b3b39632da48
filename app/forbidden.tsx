import Link from "next/link";
import { Button } from "@/components/ui/button";

export default function Forbidden() {
  return (
    <div className="mx-auto max-w-md space-y-4 py-16 text-center" data-testid="forbidden">
      <p className="text-sm font-medium text-muted-foreground">403</p>
      <h1 className="text-2xl font-semibold">You do not have access to this page</h1>
      <p className="text-muted-foreground">This area is for admins. Ask an admin if you need access.</p>
      <Button asChild variant="outline">
        <Link href="/characters">Back to characters</Link>
      </Button>
    </div>
  );
}
