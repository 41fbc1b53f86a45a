import { isAppError } from "../../../shared/contract/errors";
import type { SmokeRecord, SmokeStep } from "../../../shared/contract/odoo-smoke";
import type { Clock } from "../clock";

/** What a step reports when it succeeds. */
interface StepOutcome {
  readonly detail: string;
  readonly measured?: Readonly<Record<string, number | string>>;
}

/** Thrown by a failed step so the run stops there; the step itself is already recorded. */
export class StepFailed extends Error {}

/** A step that measured and found the value out of bounds: recorded with what it measured. */
export class MeasuredFailure extends Error {
  constructor(
    message: string,
    readonly measured: Readonly<Record<string, number | string>>,
  ) {
    super(message);
  }
}

interface Kept {
  record: SmokeRecord;
  undo: () => Promise<void>;
}

/**
 * The record of one smoke run: each step timed through the injected clock, each record the run created kept with how
 * to reverse it (replaced as the record moves on: a done manufacturing order is unbuilt, not cancelled), and a
 * cleanup that reverses them newest first and lists whatever it could not.
 */
export class SmokeLog {
  readonly steps: SmokeStep[] = [];
  readonly created: SmokeRecord[] = [];
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly clock: Clock) {}

  /** Runs and times one step; a failure is recorded with its message and stops the run (StepFailed). */
  async step(name: string, fn: () => Promise<StepOutcome>, phase: SmokeStep["phase"] = "run"): Promise<void> {
    const started = this.clock.now();
    try {
      const outcome = await fn();
      this.steps.push({ name, phase, ok: true, ...this.timing(started), ...outcome });
    } catch (error) {
      const measured = error instanceof MeasuredFailure ? { measured: error.measured } : {};
      this.steps.push({ name, phase, ok: false, ...this.timing(started), detail: messageOf(error), ...measured });
      throw new StepFailed(name);
    }
  }

  /** Keeps a record the run created (or moved on) with what reverses it now. */
  keep(record: Omit<SmokeRecord, "cleanup">, cleanup: string, undo: () => Promise<void>): void {
    const key = `${record.model}:${record.id}`;
    const full = { ...record, cleanup };
    const known = this.kept.get(key);
    if (known) {
      this.created[this.created.indexOf(known.record)] = full;
      known.record = full;
      known.undo = undo;
      return;
    }
    this.created.push(full);
    this.kept.set(key, { record: full, undo });
  }

  /** Reverses what the run created, newest first; returns what is still in Odoo. */
  async cleanup(): Promise<SmokeRecord[]> {
    const left: SmokeRecord[] = [];
    for (const { record, undo } of [...this.kept.values()].reverse()) {
      try {
        await this.step(
          `${record.cleanup} ${record.name}`,
          async () => {
            await undo();
            return { detail: `${record.model} ${record.id} ${record.cleanup}` };
          },
          "cleanup",
        );
      } catch {
        // Recorded as a failed cleanup step; the next record is still reversed.
        left.push(record);
      }
    }
    this.kept.clear();
    return left;
  }

  private timing(started: Date): Pick<SmokeStep, "startedAt" | "ms"> {
    return { startedAt: started.toISOString(), ms: Math.max(0, this.clock.now().getTime() - started.getTime()) };
  }
}

/** An Odoo error's message (the client's AppError words, never the key), else a generic one. */
function messageOf(error: unknown): string {
  if (isAppError(error)) return error.message.slice(0, 1000);
  if (error instanceof Error) return error.message.slice(0, 1000);
  return "The step failed for an unknown reason.";
}
