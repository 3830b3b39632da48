import { cn } from "@/components/ui/cn";
import { linearScale, niceExtent, niceTicks, stepDecimals, tickStep } from "./scale";

export interface IntervalItem {
  label: string;
  value: number;
  lower: number;
  upper: number;
}

export interface IntervalChartProps {
  /** One row each, drawn in the given order (sort them first, e.g. by score). */
  items: readonly IntervalItem[];
  /** What the numbers are, e.g. "Arena score"; titles the axis and the accessible label. */
  valueLabel: string;
  /** Fixed width in px. Without it the chart fills its container (the viewBox scales, text included). */
  width?: number;
  /** Decimals shown in row titles and the accessible label (tick labels use what their step needs). */
  decimals?: number;
  className?: string;
}

const DEFAULT_WIDTH = 640;
const ROW_HEIGHT = 28;
const TOP = 8;
const AXIS_HEIGHT = 44;
const RIGHT = 16;
const CHAR_WIDTH = 7; // average glyph width at 12px; SVG cannot measure text on the server
const MAX_LABEL_CHARS = 28;

function truncate(label: string): string {
  return label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1)}…` : label;
}

/**
 * A forest plot: one row per item with a dot at its value and a line across its interval, on a shared
 * horizontal axis. Server-rendered SVG; each row carries a `<title>` with its numbers (a hover tooltip), and
 * the whole chart an `aria-label` listing them for screen readers.
 */
export function IntervalChart({ items, valueLabel, width, decimals = 0, className }: IntervalChartProps) {
  const format = (value: number) => value.toFixed(decimals);
  const describe = (item: IntervalItem) =>
    `${item.label}: ${format(item.value)} (${format(item.lower)} to ${format(item.upper)})`;
  const ariaLabel =
    items.length === 0 ? `${valueLabel}: no data` : `${valueLabel} with intervals. ${items.map(describe).join("; ")}.`;

  const viewWidth = width ?? DEFAULT_WIDTH;
  const longest = Math.max(0, ...items.map((item) => truncate(item.label).length));
  const gutter = Math.min(MAX_LABEL_CHARS * CHAR_WIDTH, longest * CHAR_WIDTH) + 16;
  const height = TOP + Math.max(items.length, 1) * ROW_HEIGHT + AXIS_HEIGHT;
  const plotBottom = height - AXIS_HEIGHT;

  const low = Math.min(...items.map((item) => Math.min(item.lower, item.value)));
  const high = Math.max(...items.map((item) => Math.max(item.upper, item.value)));
  const [domainLow, domainHigh] = items.length === 0 ? [0, 1] : niceExtent(low, high, 5);
  const x = linearScale([domainLow, domainHigh], [gutter, viewWidth - RIGHT]);
  const ticks = items.length === 0 ? [] : niceTicks(domainLow, domainHigh, 5);
  const tickDecimals = stepDecimals(tickStep(domainLow, domainHigh, 5));

  return (
    <svg
      data-slot="interval-chart"
      role="img"
      aria-label={ariaLabel}
      viewBox={`0 0 ${viewWidth} ${height}`}
      width={width}
      height={width === undefined ? undefined : height}
      className={cn("text-xs", width === undefined && "h-auto w-full", className)}
    >
      <g>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={x(tick)} x2={x(tick)} y1={TOP} y2={plotBottom} className="stroke-border" />
            <text x={x(tick)} y={plotBottom + 16} textAnchor="middle" className="fill-muted-foreground">
              {tick.toFixed(tickDecimals)}
            </text>
          </g>
        ))}
        <text x={(gutter + viewWidth - RIGHT) / 2} y={height - 6} textAnchor="middle" className="fill-muted-foreground">
          {valueLabel}
        </text>
        {items.length === 0 && (
          <text
            x={viewWidth / 2}
            y={TOP + ROW_HEIGHT / 2}
            dy="0.35em"
            textAnchor="middle"
            className="fill-muted-foreground"
          >
            No data
          </text>
        )}
      </g>
      {items.map((item, index) => {
        const y = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2;
        return (
          // Labels can repeat (two models with one display name), so the row index is part of the key.
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are a pure function of props, never reordered in place
          <g key={`${index}:${item.label}`} data-slot="interval-row">
            <title>{describe(item)}</title>
            {/* A full-width transparent hit area, so the row's title shows anywhere along it. */}
            <rect x={0} y={y - ROW_HEIGHT / 2} width={viewWidth} height={ROW_HEIGHT} className="fill-transparent" />
            <text x={gutter - 10} y={y} dy="0.35em" textAnchor="end" className="fill-foreground">
              {truncate(item.label)}
            </text>
            <line
              x1={x(Math.min(item.lower, item.upper))}
              x2={x(Math.max(item.lower, item.upper))}
              y1={y}
              y2={y}
              strokeWidth={2}
              strokeLinecap="round"
              className="stroke-muted-foreground"
            />
            <circle cx={x(item.value)} cy={y} r={4.5} className="fill-primary stroke-card" strokeWidth={1.5} />
          </g>
        );
      })}
    </svg>
  );
}
