// A dataset card rendered as markdown: GitHub tables, no raw HTML, links only to http(s).
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

export function CardMarkdown({ text }: { text: string }) {
  return (
    <div
      className="space-y-2 text-sm [&_code]:font-mono [&_code]:text-xs [&_h1]:font-semibold [&_h1]:text-lg [&_h2]:mt-4 [&_h2]:font-semibold [&_li]:ml-5 [&_li]:list-disc [&_table]:my-2 [&_td]:border-t [&_td]:px-2 [&_th]:px-2 [&_th]:text-left"
      data-testid="dataset-card"
    >
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml>
        {text}
      </ReactMarkdown>
    </div>
  );
}
