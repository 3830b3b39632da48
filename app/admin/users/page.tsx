import type { Metadata } from "next";
import Link from "next/link";
import { RoleSelect } from "@/components/admin/role-select";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/session";
import { listUsers } from "@/lib/users/queries";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage({
  searchParams,
}: {
  searchParams: Promise<{ cursor?: string; q?: string }>;
}) {
  const admin = await requireAdminPage("/admin/users");
  const { cursor, q } = await searchParams;
  const page = await listUsers({
    cursor: typeof cursor === "string" ? cursor : undefined,
    query: typeof q === "string" ? q : undefined,
    take: 50,
  });
  return (
    <div className="space-y-4">
      <search>
        <form className="flex gap-2">
          <input
            name="q"
            defaultValue={q}
            placeholder="Search by name or email"
            aria-label="Search users"
            className="h-9 w-full max-w-sm rounded-md border border-input bg-background px-3 text-sm"
          />
          <Button type="submit" variant="outline" size="sm">
            Search
          </Button>
        </form>
      </search>
      <Table data-testid="users-table">
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Email</TableHead>
            <TableHead>Training consent</TableHead>
            <TableHead>Joined</TableHead>
            <TableHead>Role</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {page.users.map((user) => (
            <TableRow key={user.id}>
              <TableCell>{user.name}</TableCell>
              <TableCell>{user.email}</TableCell>
              <TableCell>
                {user.trainingConsent ? <Badge variant="success">yes</Badge> : <Badge variant="outline">no</Badge>}
              </TableCell>
              <TableCell>{user.createdAt.toLocaleDateString()}</TableCell>
              <TableCell>
                <RoleSelect userId={user.id} email={user.email} role={user.role} disabled={user.id === admin.id} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {page.nextCursor ? (
        <Button asChild variant="outline" size="sm">
          <Link href={`/admin/users?cursor=${page.nextCursor}${q ? `&q=${encodeURIComponent(q)}` : ""}`}>
            Next page
          </Link>
        </Button>
      ) : null}
    </div>
  );
}
