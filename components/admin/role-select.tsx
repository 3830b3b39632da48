"use client";

import { useState, useTransition } from "react";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { toast } from "@/components/ui/toast";
import { changeRoleAction } from "@/lib/users/actions";

type Role = "USER" | "ADMIN";

export function RoleSelect({
  userId,
  email,
  role,
  disabled,
}: {
  userId: string;
  email: string;
  role: Role;
  disabled?: boolean;
}) {
  const [value, setValue] = useState<Role>(role);
  const [pending, startTransition] = useTransition();

  function change(next: string) {
    const nextRole = next as Role;
    const previous = value;
    setValue(nextRole);
    startTransition(async () => {
      const result = await changeRoleAction(userId, nextRole);
      if (result.ok) {
        toast({ title: `${email} is now ${nextRole === "ADMIN" ? "an admin" : "a user"}`, variant: "success" });
      } else {
        setValue(previous);
        toast({ title: "Role not changed", description: result.error.message, variant: "error" });
      }
    });
  }

  return (
    <Select value={value} onValueChange={change} disabled={disabled || pending}>
      <SelectTrigger aria-label={`Role of ${email}`} className="w-28" data-testid={`role-${email}`}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value="USER">User</SelectItem>
        <SelectItem value="ADMIN">Admin</SelectItem>
      </SelectContent>
    </Select>
  );
}
