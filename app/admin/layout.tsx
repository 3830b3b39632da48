import Link from "next/link";
import type { ReactNode } from "react";
import { requireAdminPage } from "@/lib/auth/session";

const SECTIONS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/models", label: "Models" },
  { href: "/admin/routing", label: "Routing" },
  { href: "/admin/feedback", label: "Feedback" },
  { href: "/admin/synthesis", label: "Synthesis" },
  { href: "/admin/curation", label: "Curation" },
  { href: "/admin/datasets", label: "Datasets" },
  { href: "/admin/eval", label: "Evaluation" },
];

// Guarding the layout keeps non-admins out of every admin page on the server; each page and
// action still checks again, because layouts do not re-run on client navigation.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdminPage("/admin");
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2 border-b border-border pb-3">
        <h1 className="text-xl font-semibold">Admin</h1>
        <nav aria-label="Admin" className="flex flex-wrap gap-4 text-sm">
          {SECTIONS.map((section) => (
            <Link key={section.href} href={section.href} className="text-muted-foreground hover:text-foreground">
              {section.label}
            </Link>
          ))}
        </nav>
      </div>
      {children}
    </div>
  );
}
