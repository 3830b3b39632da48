import Link from "next/link";
import { Button } from "@/components/ui/button";

/** Search box, sort and tag filter as a plain GET form, so results are linkable and work without JS. */
export function ListControls({
  action,
  q,
  sort,
  tag,
  tags,
}: {
  action: string;
  q?: string;
  sort: string;
  tag?: string;
  tags?: { tag: string; count: number }[];
}) {
  return (
    <div className="space-y-3">
      <search>
        <form action={action} className="flex flex-col gap-2 sm:flex-row">
          <input
            name="q"
            defaultValue={q}
            placeholder="Search by name, tag or description"
            aria-label="Search characters"
            className="h-9 w-full rounded-md border border-input bg-background px-3 text-sm sm:max-w-sm"
            data-testid="character-search"
          />
          <select
            name="sort"
            defaultValue={sort}
            aria-label="Sort"
            className="h-9 rounded-md border border-input bg-background px-2 text-sm"
          >
            <option value="updated">Recently updated</option>
            <option value="created">Newest</option>
            <option value="name">Name</option>
          </select>
          {tag ? <input type="hidden" name="tag" value={tag} /> : null}
          <Button type="submit" variant="outline" size="sm" className="h-9">
            Search
          </Button>
        </form>
      </search>
      {tags && tags.length > 0 ? (
        <nav aria-label="Tags" className="flex flex-wrap gap-2">
          {tag ? (
            <Link
              href={`${action}?${new URLSearchParams({ ...(q ? { q } : {}), sort })}`}
              className="rounded-full border border-border px-3 py-1 text-xs"
            >
              All tags ×
            </Link>
          ) : null}
          {tags.map((item) => (
            <Link
              key={item.tag}
              href={`${action}?${new URLSearchParams({ ...(q ? { q } : {}), sort, tag: item.tag })}`}
              aria-current={item.tag === tag ? "true" : undefined}
              className="rounded-full border border-border px-3 py-1 text-xs hover:bg-muted aria-[current]:bg-primary aria-[current]:text-primary-foreground"
            >
              {item.tag} <span className="text-muted-foreground">{item.count}</span>
            </Link>
          ))}
        </nav>
      ) : null}
    </div>
  );
}

export function Pagination({
  action,
  params,
  page,
  pages,
}: {
  action: string;
  params: Record<string, string>;
  page: number;
  pages: number;
}) {
  if (pages <= 1) return null;
  const href = (target: number) => `${action}?${new URLSearchParams({ ...params, page: String(target) })}`;
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-2 text-sm">
      {page > 1 ? (
        <Button asChild variant="outline" size="sm">
          <Link href={href(page - 1)}>Previous</Link>
        </Button>
      ) : (
        <span />
      )}
      <span className="text-muted-foreground">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <Button asChild variant="outline" size="sm">
          <Link href={href(page + 1)} data-testid="next-page">
            Next
          </Link>
        </Button>
      ) : (
        <span />
      )}
    </nav>
  );
}
