import type { Metadata } from "next";
import { IntervalChart } from "@/components/charts/interval-chart";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/native-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { arenaLeaderboard, leaderboardCharacters } from "@/lib/arena/leaderboard";
import { requireUserPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Arena leaderboard" };

export default async function LeaderboardPage({ searchParams }: { searchParams: Promise<{ character?: string }> }) {
  await requireUserPage("/arena/leaderboard");
  const { character } = await searchParams;
  const characterId = character && /^[0-9a-f-]{36}$/i.test(character) ? character : undefined;
  const [board, filters] = await Promise.all([
    arenaLeaderboard(characterId ? { characterId } : {}),
    leaderboardCharacters(),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Arena leaderboard</h1>
      <form className="flex flex-wrap items-end gap-2" method="get">
        <Field label="Character" htmlFor="leaderboard-character">
          <NativeSelect id="leaderboard-character" name="character" defaultValue={characterId ?? ""}>
            <option value="">All characters</option>
            {filters.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Button type="submit" variant="outline">
          Filter
        </Button>
      </form>
      {board.ratings.length === 0 ? (
        <EmptyState title="No votes yet" description="Battles appear here once users vote in the arena." />
      ) : (
        <>
          <p className="text-sm text-muted-foreground">
            Bradley–Terry scores (mean 1000) from {board.battles} voted round(s), with 95% bootstrap intervals; a tie or
            &ldquo;both bad&rdquo; counts half a win each.
          </p>
          <Table data-testid="leaderboard">
            <TableHeader>
              <TableRow>
                <TableHead>Rank</TableHead>
                <TableHead>Model</TableHead>
                <TableHead className="text-right">Score</TableHead>
                <TableHead className="text-right">95% interval</TableHead>
                <TableHead className="text-right">Battles</TableHead>
                <TableHead className="text-right">W / L / T</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {board.ratings.map((rating) => (
                <TableRow key={rating.model} data-testid="leaderboard-row">
                  <TableCell>{rating.rank}</TableCell>
                  <TableCell>{rating.name}</TableCell>
                  <TableCell className="text-right tabular-nums">{Math.round(rating.score)}</TableCell>
                  <TableCell className="text-right tabular-nums">
                    {Math.round(rating.lower)} – {Math.round(rating.upper)}
                  </TableCell>
                  <TableCell className="text-right tabular-nums" data-testid="leaderboard-battles">
                    {rating.battles}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">
                    {rating.wins} / {rating.losses} / {rating.ties}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <IntervalChart
            valueLabel="Score"
            items={board.ratings.map((rating) => ({
              label: rating.name,
              value: rating.score,
              lower: rating.lower,
              upper: rating.upper,
            }))}
          />
        </>
      )}
    </div>
  );
}
