import { z } from "zod";
import { method } from "./define";
import { ENVIRONMENT_NAMES } from "./methods/cluster";

/**
 * write: the business flow (sale order → manufacturing → delivery → invoice, then reversed and cancelled), only where
 * policy.yaml `smoke.writes` names the environment; read-only: version, installed modules, recent orders flowing;
 * auto: write where the policy allows it, read-only elsewhere.
 */
export const SMOKE_MODES = ["auto", "write", "read-only"] as const;
export type SmokeMode = (typeof SMOKE_MODES)[number];

/** A record the smoke run created in Odoo, and whether it is still there to be cleaned up. */
export interface SmokeRecord {
  readonly model: string;
  readonly id: number;
  readonly name: string;
  /** What the cleanup does (or would have done) with it: cancel, unbuild, return, reverse. */
  readonly cleanup: string;
}

/** One timed step of a smoke run, as the injected clock measured it. */
export interface SmokeStep {
  readonly name: string;
  /** "run" for the business flow and read-only set, "cleanup" for reversing what the run created. */
  readonly phase: "run" | "cleanup";
  readonly ok: boolean;
  readonly startedAt: string;
  readonly ms: number;
  /** What the step saw or did (a record name, a count), or why it failed, in words a plant manager reads. */
  readonly detail: string;
  /** Measured values, e.g. recent orders counted against the threshold. */
  readonly measured?: Readonly<Record<string, number | string>>;
}

/** The outcome of one smoke run against one environment's Odoo. */
export interface SmokeRun {
  readonly environment: string;
  readonly mode: "write" | "read-only";
  readonly serverVersion: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly passed: boolean;
  readonly steps: readonly SmokeStep[];
  /** Everything the run created, in order. */
  readonly created: readonly SmokeRecord[];
  /** What a failed cleanup left in Odoo: someone must reverse or cancel these by hand. */
  readonly leftBehind: readonly SmokeRecord[];
  /** The gate record made of it, when the run was made for a change; else null. */
  readonly recorded: { readonly id: string; readonly result: string } | null;
}

const smokeInput = z
  .object({
    environment: z.enum(ENVIRONMENT_NAMES),
    mode: z.enum(SMOKE_MODES).default("auto"),
    /** Records the run as this change's "smoke-tests" gate, signed by the caller, with the run as its evidence. */
    changeId: z
      .string()
      .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "a change id")
      .optional(),
    actor: z.string().min(1).max(320).optional(),
  })
  .strict();

/** The smoke method: runs the transactions (or the read-only set) against one environment's Odoo. */
export const odooSmokeMethods = {
  "odoo.smoke": method<SmokeRun>()({ input: smokeInput, mutates: true }),
} as const;
