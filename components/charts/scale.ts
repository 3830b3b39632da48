// Scale and tick arithmetic shared by the SVG charts. Pure functions, no DOM.

export type Extent = readonly [number, number];

/**
 * Maps `domain` linearly onto `range`. A zero-width domain (one distinct value) maps everything to the
 * middle of the range instead of dividing by zero.
 */
export function linearScale(domain: Extent, range: Extent): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d0 === d1) return () => (r0 + r1) / 2;
  const ratio = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * ratio;
}

/** A round step (1, 2 or 5 × 10^k) that cuts [min, max] into about `count` intervals. */
export function tickStep(min: number, max: number, count: number): number {
  const span = Math.abs(max - min);
  if (span === 0 || !Number.isFinite(span) || count < 1) return 0;
  const rough = span / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const error = rough / power;
  const factor = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
  return factor * power;
}

/**
 * Round tick values inside [min, max], about `count` of them. Values are built as i / (1/step) when the step
 * is below 1, so 0.1-steps give 0.3 rather than 0.30000000000000004. A zero-width extent yields one tick.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  const [low, high] = min <= max ? [min, max] : [max, min];
  if (low === high) return [low];
  const step = tickStep(low, high, count);
  if (step === 0) return [low];
  const toValue = step >= 1 ? (i: number) => i * step : (i: number) => i / Math.round(1 / step);
  const first = step >= 1 ? Math.ceil(low / step) : Math.ceil(low * Math.round(1 / step));
  const last = step >= 1 ? Math.floor(high / step) : Math.floor(high * Math.round(1 / step));
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(toValue(i));
  return ticks;
}

/** Decimals needed to print ticks `step` apart without repeats (0.25 → 2, 0.2 → 1, 20 → 0). */
export function stepDecimals(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let decimals = 0; decimals < 12; decimals++) {
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * scaled) return decimals;
  }
  return 12;
}

/**
 * Widens [min, max] outwards to whole tick steps, so the axis starts and ends on a labelled tick.
 * A zero-width extent is padded by one unit of its magnitude (or ±1 around 0) first.
 */
export function niceExtent(min: number, max: number, count = 5): [number, number] {
  let [low, high] = min <= max ? [min, max] : [max, min];
  if (low === high) {
    const pad = low === 0 ? 1 : 10 ** Math.floor(Math.log10(Math.abs(low)));
    low -= pad;
    high += pad;
  }
  const step = tickStep(low, high, count);
  if (step === 0) return [low, high];
  return [Math.floor(low / step) * step, Math.ceil(high / step) * step];
}

const MS_PER_DAY = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/;

/** Days since 1970-01-01 (UTC) for an ISO day such as "2025-03-05" (a longer ISO timestamp uses its date part); null if invalid. */
export function dayNumber(isoDay: string): number | null {
  const match = ISO_DAY.exec(isoDay);
  if (!match) return null;
  const [, year, month, day] = match;
  const time = Date.UTC(Number(year), Number(month) - 1, Number(day));
  const date = new Date(time);
  // Date.UTC rolls "2025-02-30" over to March; reject instead.
  if (date.getUTCDate() !== Number(day) || date.getUTCMonth() !== Number(month) - 1) return null;
  return time / MS_PER_DAY;
}

/** The ISO day ("YYYY-MM-DD") for a day number. */
export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * At most about `count` day ticks from `first` to `last` (day numbers), evenly spaced by a whole number of
 * days (1, 2, 3, then whole weeks: 7, 14, 28…) and always starting at `first`.
 */
export function dayTicks(first: number, last: number, count = 6): number[] {
  if (last < first) return [];
  if (last === first) return [first];
  const span = last - first;
  const target = span / Math.max(1, count - 1);
  const step = target <= 3 ? Math.ceil(target) : target <= 7 ? 7 : 14 * Math.ceil(target / 14);
  const ticks: number[] = [];
  for (let day = first; day <= last; day += step) ticks.push(day);
  return ticks;
}
