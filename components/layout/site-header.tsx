import Link from "next/link";
import { Button } from "@/components/ui/button";
import { getCurrentUser } from "@/lib/auth/session";
import { AccountMenu } from "./account-menu";
import { type NavItem, NavLinks } from "./nav-links";
import { ThemeToggle } from "./theme-toggle";

const USER_NAV: NavItem[] = [
  { href: "/characters", label: "Characters" },
  { href: "/chats", label: "Chats" },
  { href: "/arena", label: "Arena" },
];

export async function SiteHeader() {
  const user = await getCurrentUser();
  const items = user?.role === "ADMIN" ? [...USER_NAV, { href: "/admin", label: "Admin" }] : USER_NAV;
  return (
    <header className="sticky top-0 z-40 border-b border-border bg-background/90 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-2 px-4">
        {user ? <NavLinks items={items} /> : null}
        <Link href="/" className="mr-2 text-lg font-semibold tracking-tight md:order-first" data-testid="brand">
          Troupe
        </Link>
        <div className="ml-auto flex items-center gap-1">
          <ThemeToggle />
          {user ? (
            <AccountMenu name={user.name} email={user.email} isAdmin={user.role === "ADMIN"} />
          ) : (
            <>
              <Button asChild variant="ghost" size="sm">
                <Link href="/login">Sign in</Link>
              </Button>
              <Button asChild size="sm">
                <Link href="/signup">Sign up</Link>
              </Button>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
