import { cn } from "@/components/ui/cn";
import { dayNumber, dayTicks, isoDay, linearScale } from "./scale";

export interface TimeSeriesPoint {
  /** ISO day, e.g. "2025-03-05". Points whose day does not parse are skipped. */
  t: string;
  /** A rate in [0, 1] (drawn clamped to it), or null for "no data that day": the line breaks there. */
  value: number | null;
}

export interface TimeSeries {
  name: string;
  points: readonly TimeSeriesPoint[];
}

export interface TimeSeriesChartProps {
  /** Up to six series; more reuse the palette. Days missing from a series are bridged, null values are not. */
  series: readonly TimeSeries[];
  /** What is plotted, e.g. "Thumbs-up rate"; starts the accessible summary. */
  title: string;
  /** Fixed width in px. Without it the chart fills its container (the viewBox scales, text included). */
  width?: number;
  className?: string;
}

const DEFAULT_WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { top: 10, right: 16, bottom: 28, left: 44 };
const Y_TICKS = [0, 0.25, 0.5, 0.75, 1];

// Hues a step apart (after the Okabe–Ito colour-blind-safe set), darker in light mode and lighter in dark
// mode for contrast against the card; dashes tell same-looking pairs apart for colour-blind readers.
const PALETTE = [
  { line: "stroke-blue-600 dark:stroke-blue-400", dot: "fill-blue-600 dark:fill-blue-400", dash: undefined },
  { line: "stroke-orange-600 dark:stroke-orange-400", dot: "fill-orange-600 dark:fill-orange-400", dash: "6 3" },
  { line: "stroke-teal-600 dark:stroke-teal-400", dot: "fill-teal-600 dark:fill-teal-400", dash: "2 3" },
  { line: "stroke-pink-600 dark:stroke-pink-400", dot: "fill-pink-600 dark:fill-pink-400", dash: undefined },
  { line: "stroke-violet-600 dark:stroke-violet-400", dot: "fill-violet-600 dark:fill-violet-400", dash: "6 3" },
  { line: "stroke-lime-700 dark:stroke-lime-400", dot: "fill-lime-700 dark:fill-lime-400", dash: "2 3" },
] as const;

const dayLabel = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

interface Plotted {
  name: string;
  /** Runs of consecutive non-null points, in day order. */
  segments: { day: number; value: number }[][];
  values: { day: number; value: number }[];
}

function plot(series: TimeSeries): Plotted {
  const points = series.points
    .map((point) => ({ day: dayNumber(point.t), value: point.value }))
    .filter((point): point is { day: number; value: number | null } => point.day !== null)
    .sort((a, b) => a.day - b.day);
  const segments: { day: number; value: number }[][] = [];
  let run: { day: number; value: number }[] = [];
  for (const point of points) {
    if (point.value === null || !Number.isFinite(point.value)) {
      if (run.length > 0) segments.push(run);
      run = [];
    } else {
      run.push({ day: point.day, value: point.value });
    }
  }
  if (run.length > 0) segments.push(run);
  return { name: series.name, segments, values: segments.flat() };
}

function summarize(plotted: Plotted): string {
  const last = plotted.values.at(-1);
  if (!last) return `${plotted.name}: no data`;
  const values = plotted.values.map((point) => point.value);
  const days = plotted.values.length;
  return `${plotted.name}: latest ${percent(last.value)} on ${isoDay(last.day)}, between ${percent(Math.min(...values))} and ${percent(Math.max(...values))} over ${days} day${days === 1 ? "" : "s"} with data`;
}

/**
 * Rates over time as lines on a 0–100% axis, one colour (and dash) per series, with a legend below.
 * Server-rendered SVG; the accessible label summarizes each series (latest value, range, days with data).
 */
export function TimeSeriesChart({ series, title, width, className }: TimeSeriesChartProps) {
  const plotted = series.map(plot);
  const allDays = plotted.flatMap((entry) => entry.values.map((point) => point.day));
  const first = allDays.length > 0 ? Math.min(...allDays) : undefined;
  const last = allDays.length > 0 ? Math.max(...allDays) : undefined;
  const summary =
    first === undefined || last === undefined
      ? `${title}: no data.`
      : `${title}, ${isoDay(first)} to ${isoDay(last)}. ${plotted.map(summarize).join("; ")}.`;

  const viewWidth = width ?? DEFAULT_WIDTH;
  const plotRight = viewWidth - MARGIN.right;
  const plotBottom = HEIGHT - MARGIN.bottom;
  const x = linearScale([first ?? 0, last ?? 0], [MARGIN.left, plotRight]);
  const y = linearScale([0, 1], [plotBottom, MARGIN.top]);
  const yOf = (value: number) => y(Math.min(1, Math.max(0, value)));
  const xTicks = first === undefined || last === undefined ? [] : dayTicks(first, last, 6);

  return (
    <figure data-slot="time-series-chart" className={cn("grid gap-2", className)}>
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${viewWidth} ${HEIGHT}`}
        width={width}
        height={width === undefined ? undefined : HEIGHT}
        className={cn("text-xs", width === undefined && "h-auto w-full")}
      >
        <g>
          {Y_TICKS.map((tick) => (
            <g key={tick}>
              <line x1={MARGIN.left} x2={plotRight} y1={y(tick)} y2={y(tick)} className="stroke-border" />
              <text x={MARGIN.left - 8} y={y(tick)} dy="0.35em" textAnchor="end" className="fill-muted-foreground">
                {percent(tick)}
              </text>
            </g>
          ))}
          {xTicks.map((day) => (
            <text key={day} x={x(day)} y={plotBottom + 18} textAnchor="middle" className="fill-muted-foreground">
              {dayLabel.format(new Date(`${isoDay(day)}T00:00:00Z`))}
            </text>
          ))}
          {first === undefined && (
            <text
              x={(MARGIN.left + plotRight) / 2}
              y={(MARGIN.top + plotBottom) / 2}
              dy="0.35em"
              textAnchor="middle"
              className="fill-muted-foreground"
            >
              No data
            </text>
          )}
        </g>
        {plotted.map((entry, index) => {
          const colors = PALETTE[index % PALETTE.length]!;
          return (
            // Series names may repeat, so the index is part of the key; order is fixed by props.
            // biome-ignore lint/suspicious/noArrayIndexKey: series are a pure function of props, never reordered in place
            <g key={`${index}:${entry.name}`} data-slot="time-series">
              <title>{summarize(entry)}</title>
              {entry.segments.map((segment) =>
                segment.length === 1 ? (
                  <circle
                    key={segment[0]!.day}
                    cx={x(segment[0]!.day)}
                    cy={yOf(segment[0]!.value)}
                    r={2.5}
                    className={colors.dot}
                  />
                ) : (
                  <polyline
                    key={segment[0]!.day}
                    points={segment.map((point) => `${x(point.day)},${yOf(point.value)}`).join(" ")}
                    fill="none"
                    strokeWidth={2}
                    strokeLinejoin="round"
                    strokeLinecap="round"
                    strokeDasharray={colors.dash}
                    className={colors.line}
                  />
                ),
              )}
            </g>
          );
        })}
      </svg>
      {series.length > 0 && (
        <figcaption>
          <ul className="flex flex-wrap gap-x-4 gap-y-1 text-muted-foreground text-sm">
            {series.map((entry, index) => {
              const colors = PALETTE[index % PALETTE.length]!;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: see the series groups above
                <li key={`${index}:${entry.name}`} className="inline-flex items-center gap-1.5">
                  <svg viewBox="0 0 20 4" className="h-1 w-5 shrink-0 overflow-visible" aria-hidden="true">
                    <line
                      x1={0}
                      x2={20}
                      y1={2}
                      y2={2}
                      strokeWidth={2.5}
                      strokeDasharray={colors.dash}
                      className={colors.line}
                    />
                  </svg>
                  {entry.name}
                </li>
              );
            })}
          </ul>
        </figcaption>
      )}
    </figure>
  );
}
