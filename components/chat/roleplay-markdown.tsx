// Chat text as Markdown with role-play conventions: *actions* in italics and "quoted speech"
// highlighted. Raw HTML is never rendered (skipHtml), and links are limited to http(s)/mailto.
import type { Root, RootContent, Text } from "mdast";
import ReactMarkdown, { defaultUrlTransform } from "react-markdown";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";
import { visitParents } from "unist-util-visit-parents";

const QUOTE = /"[^"\n]+"|“[^”\n]+”/g;

/** Wrap quoted speech in text nodes into spans the stylesheet colors. */
function remarkQuotes() {
  return (tree: Root) => {
    const edits: { parent: { children: RootContent[] }; node: Text }[] = [];
    visitParents(tree, "text", (node, ancestors) => {
      if (ancestors.some((ancestor) => ancestor.type === "link" || ancestor.type === "linkReference")) return;
      const parent = ancestors.at(-1);
      if (parent && "children" in parent && QUOTE.test(node.value))
        edits.push({ parent: parent as { children: RootContent[] }, node });
      QUOTE.lastIndex = 0;
    });
    for (const { parent, node } of edits) {
      const pieces: RootContent[] = [];
      let last = 0;
      for (const match of node.value.matchAll(QUOTE)) {
        const start = match.index ?? 0;
        if (start > last) pieces.push({ type: "text", value: node.value.slice(last, start) });
        pieces.push({
          type: "emphasis",
          data: { hName: "span", hProperties: { className: ["rp-quote"] } },
          children: [{ type: "text", value: match[0] }],
        });
        last = start + match[0].length;
      }
      if (last < node.value.length) pieces.push({ type: "text", value: node.value.slice(last) });
      const index = parent.children.indexOf(node);
      parent.children.splice(index, 1, ...pieces);
    }
  };
}

function safeUrl(url: string): string {
  const cleaned = defaultUrlTransform(url);
  return /^(https?:|mailto:)/i.test(cleaned) ? cleaned : "";
}

export function RoleplayMarkdown({ text }: { text: string }) {
  return (
    <div className="rp-markdown break-words">
      <ReactMarkdown
        skipHtml
        remarkPlugins={[remarkGfm, remarkBreaks, remarkQuotes]}
        urlTransform={safeUrl}
        components={{
          a: ({ href, children }) =>
            href ? (
              <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-primary underline">
                {children}
              </a>
            ) : (
              <span>{children}</span>
            ),
          img: ({ alt }) => <span className="text-muted-foreground">[image: {alt}]</span>,
          em: ({ children }) => <em className="text-muted-foreground">{children}</em>,
          pre: ({ children }) => <pre className="my-2 overflow-x-auto rounded-md bg-muted p-3 text-sm">{children}</pre>,
          code: ({ children, className }) => (
            <code className={`${className ?? ""} rounded bg-muted px-1 font-mono text-[0.9em]`}>{children}</code>
          ),
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
