"use client";

// A message's text as Markdown. The messages a chat opens with arrive rendered by the server; only
// text that changes in the browser (a reply streaming in, an edit, a swipe fetched later) needs the
// Markdown renderer here, and it is loaded on first use so the chat page's first load stays small.
import { lazy, type ReactNode, Suspense } from "react";

const RoleplayMarkdown = lazy(() =>
  import("./roleplay-markdown").then((module) => ({ default: module.RoleplayMarkdown })),
);

/** Start loading the renderer ahead of need (e.g. when the user starts typing). */
export function preloadMarkdown(): void {
  void import("./roleplay-markdown");
}

export function MessageText({ text, prerendered }: { text: string; prerendered?: ReactNode }) {
  if (prerendered) return prerendered;
  return (
    <Suspense fallback={<p className="whitespace-pre-wrap break-words">{text}</p>}>
      <RoleplayMarkdown text={text} />
    </Suspense>
  );
}
