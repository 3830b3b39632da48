"use client";

import { renderCharacterBlock, renderPostHistory } from "@/lib/characters/prompt";
import type { Profile } from "@/lib/characters/schema";
import { estimateTokens } from "@/lib/llm/tokens";

/** The exact system text the model will see for this profile, with macros resolved. */
export function PromptPreview({ profile, userName }: { profile: Profile; userName: string }) {
  const system = renderCharacterBlock(profile, { userName });
  const after = renderPostHistory(profile, { userName });
  const tokens = estimateTokens(system) + estimateTokens(after);
  return (
    <section aria-labelledby="preview-heading" className="space-y-2">
      <div className="flex items-baseline justify-between gap-2">
        <h2 id="preview-heading" className="text-sm font-medium">
          Prompt preview
        </h2>
        <span className="text-xs text-muted-foreground" data-testid="token-estimate">
          ≈ {tokens.toLocaleString()} tokens
        </span>
      </div>
      <pre
        className="max-h-[70vh] overflow-auto whitespace-pre-wrap break-words rounded-lg border border-border bg-muted p-3 font-mono text-xs"
        data-testid="prompt-preview"
      >
        {system}
      </pre>
      {after ? (
        <>
          <h3 className="text-xs font-medium text-muted-foreground">After the chat history</h3>
          <pre className="whitespace-pre-wrap break-words rounded-lg border border-border bg-muted p-3 font-mono text-xs">
            {after}
          </pre>
        </>
      ) : null}
    </section>
  );
}
