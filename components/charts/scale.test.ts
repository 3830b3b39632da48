import { describe, expect, it } from "vitest";
import { dayNumber, dayTicks, isoDay, linearScale, niceExtent, niceTicks, stepDecimals, tickStep } from "./scale";

describe("linearScale", () => {
  it("maps the domain onto the range, including inverted ranges (SVG y grows downwards)", () => {
    const x = linearScale([0, 10], [100, 200]);
    expect(x(0)).toBe(100);
    expect(x(5)).toBe(150);
    expect(x(12)).toBe(220);
    const y = linearScale([0, 1], [300, 20]);
    expect(y(0)).toBe(300);
    expect(y(1)).toBe(20);
    expect(y(0.5)).toBe(160);
  });

  it("maps a zero-width domain to the middle of the range", () => {
    expect(linearScale([3, 3], [0, 100])(3)).toBe(50);
  });
});

describe("ticks", () => {
  it("picks 1, 2 or 5 × 10^k steps", () => {
    expect(tickStep(0, 1, 5)).toBe(0.2);
    expect(tickStep(0, 100, 5)).toBe(20);
    expect(tickStep(0, 100, 10)).toBe(10);
    expect(tickStep(0, 700, 5)).toBe(100);
    expect(tickStep(0, 0, 5)).toBe(0);
  });

  it("lists round ticks inside the extent without float noise", () => {
    expect(niceTicks(0, 1, 10)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(812, 1287)).toEqual([900, 1000, 1100, 1200]);
    expect(niceTicks(-3, 3, 6)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(niceTicks(10, 0, 2)).toEqual([0, 5, 10]);
    expect(niceTicks(7, 7)).toEqual([7]);
    expect(niceTicks(0, Number.NaN)).toEqual([]);
  });

  it("counts the decimals a step needs", () => {
    expect(stepDecimals(20)).toBe(0);
    expect(stepDecimals(0.2)).toBe(1);
    expect(stepDecimals(0.25)).toBe(2);
    expect(stepDecimals(0.05)).toBe(2);
    expect(stepDecimals(0)).toBe(0);
  });

  it("widens an extent to whole steps", () => {
    expect(niceExtent(812, 1287)).toEqual([800, 1300]);
    expect(niceExtent(0.13, 0.92, 5)).toEqual([0, 1]);
    expect(niceExtent(1000, 1000)).toEqual([0, 2000]);
    expect(niceExtent(0, 0)).toEqual([-1, 1]);
  });
});

describe("days", () => {
  it("converts ISO days to day numbers and back", () => {
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(dayNumber("2025-03-05T12:00:00Z")).toBe(dayNumber("2025-03-05"));
    expect(isoDay(dayNumber("2024-02-29")!)).toBe("2024-02-29");
    expect(dayNumber("2025-02-30")).toBeNull();
    expect(dayNumber("yesterday")).toBeNull();
  });

  it("spaces day ticks by whole days, then whole weeks", () => {
    expect(dayTicks(0, 4)).toEqual([0, 1, 2, 3, 4]);
    expect(dayTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(dayTicks(0, 12)).toEqual([0, 3, 6, 9, 12]);
    expect(dayTicks(0, 30)).toEqual([0, 7, 14, 21, 28]);
    expect(dayTicks(0, 89)).toEqual([0, 28, 56, 84]);
    expect(dayTicks(5, 5)).toEqual([5]);
    expect(dayTicks(5, 4)).toEqual([]);
  });
});
