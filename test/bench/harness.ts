import { performance } from "node:perf_hooks";

/** One benchmark figure beside the baseline measured in the same run. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: number;
  /** value / baseline (for throughput figures, baseline / value: above 1 is always "slower than the baseline"). */
  readonly ratio: number;
  /** Optional target the figure is judged against, printed beside it. */
  readonly target?: string;
}

/** A benchmark file's entry: measures and reports its figures. */
export type BenchRun = (report: (result: BenchResult) => void) => Promise<void>;

/** Runs fn `runs` times (after `warmup` runs) and returns the median wall time in milliseconds. */
export async function medianMs(fn: () => unknown, runs = 21, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Times one run of fn in milliseconds. */
export async function onceMs(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Builds a result where lower is better (times): ratio = value / baseline. */
export function lowerIsBetter(
  name: string,
  value: number,
  unit: string,
  baseline: number,
  target?: string,
): BenchResult {
  return { name, value: round(value), unit, baseline: round(baseline), ratio: round(value / baseline), target };
}

/** Builds a result where higher is better (throughput): ratio = baseline / value. */
export function higherIsBetter(
  name: string,
  value: number,
  unit: string,
  baseline: number,
  target?: string,
): BenchResult {
  return { name, value: round(value), unit, baseline: round(baseline), ratio: round(baseline / value), target };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
