import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MonthlyFigures } from "../../../../../shared/contract/methods/reports";
import { type Fixture, figuresFixture } from "./figures-fixture";

let fixture: Fixture;
let figures: MonthlyFigures;

beforeAll(async () => {
  fixture = await figuresFixture();
  const result = await fixture.core.call("report.figures", { months: 2, timeZone: "UTC" });
  if (!result.ok) throw new Error(result.error.message);
  figures = result.value as MonthlyFigures;
});
afterAll(() => fixture.cleanup());

const month = (m: string) => {
  const found = figures.months.find((x) => x.month === m);
  if (!found) throw new Error(`no month ${m}`);
  return found;
};

describe("monthly figures on a register with known answers", () => {
  it("covers the last two months, oldest first, in the zone asked for", () => {
    expect(figures.months.map((m) => m.month)).toEqual(["2026-10", "2026-11"]);
    expect(figures.timeZone).toBe("UTC");
  });

  it("counts submitted changes by type and by plant (drafts never count, two plants count twice)", () => {
    expect(month("2026-10").submitted).toBe(2);
    expect(month("2026-10").byType).toEqual({ standard: 0, normal: 2, emergency: 0 });
    expect(month("2026-10").byPlant).toEqual({ berlin: 1, chicago: 1, pune: 1 });
    expect(month("2026-11").submitted).toBe(3);
    expect(month("2026-11").byType).toEqual({ standard: 1, normal: 1, emergency: 1 });
    expect(month("2026-11").byPlant).toEqual({ pune: 1, berlin: 1, chicago: 1 });
    expect(figures.total.submitted).toBe(5);
  });

  it("success rate: successes over outcomes in the month of the outcome", () => {
    expect(month("2026-10").successRate).toEqual({ numerator: 1, denominator: 1, value: 1 });
    expect(month("2026-11").successRate).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    expect(figures.total.successRate.numerator).toBe(2);
    expect(figures.total.successRate.denominator).toBe(3);
  });

  it("emergency ratio: emergency submissions over all submissions", () => {
    expect(month("2026-10").emergencyRatio).toEqual({ numerator: 0, denominator: 2, value: 0 });
    expect(month("2026-11").emergencyRatio.numerator).toBe(1);
    expect(month("2026-11").emergencyRatio.denominator).toBe(3);
    expect(figures.total.emergencyRatio).toEqual({ numerator: 1, denominator: 5, value: 0.2 });
  });

  it("change failure rate: production deployments of the month that later failed", () => {
    expect(month("2026-10").changeFailureRate).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    expect(month("2026-11").changeFailureRate).toEqual({ numerator: 0, denominator: 1, value: 0 });
    expect(figures.total.changeFailureRate.numerator).toBe(1);
    expect(figures.total.changeFailureRate.denominator).toBe(3);
  });

  it("lead time from submission to approval, by month of approval", () => {
    expect(month("2026-10").leadTimeToApproval).toEqual({ count: 2, medianHours: 18, meanHours: 18, p90Hours: 24 });
    expect(month("2026-11").leadTimeToApproval).toEqual({ count: 2, medianHours: 4, meanHours: 4, p90Hours: 6 });
    expect(figures.total.leadTimeToApproval).toEqual({ count: 4, medianHours: 9, meanHours: 11, p90Hours: 24 });
  });

  it("lead time from submission to production, by month of reaching production", () => {
    expect(month("2026-10").leadTimeToProduction).toEqual({ count: 2, medianHours: 36, meanHours: 36, p90Hours: 48 });
    expect(month("2026-11").leadTimeToProduction).toEqual({ count: 1, medianHours: 4, meanHours: 4, p90Hours: 4 });
    expect(figures.total.leadTimeToProduction).toEqual({ count: 3, medianHours: 24, meanHours: 25.3, p90Hours: 48 });
  });

  it("cuts months in the report's zone: 1 Oct 00:00 UTC is still September in Los Angeles", async () => {
    const result = await fixture.core.call("report.figures", { months: 3, timeZone: "America/Los_Angeles" });
    if (!result.ok) throw new Error(result.error.message);
    const f = result.value as MonthlyFigures;
    expect(f.months.map((m) => [m.month, m.submitted])).toEqual([
      ["2026-09", 1],
      ["2026-10", 1],
      ["2026-11", 3],
    ]);
  });

  it("refuses an unknown time zone with a clear message", async () => {
    const result = await fixture.core.call("report.figures", { months: 2, timeZone: "Mars/Olympus" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("invalid-input");
  });
});
