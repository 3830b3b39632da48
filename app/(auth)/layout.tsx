import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return <div className="mx-auto flex max-w-sm flex-col gap-6 py-8 sm:py-16">{children}</div>;
}
