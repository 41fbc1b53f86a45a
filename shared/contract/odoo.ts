import { z } from "zod";
import type { OdooCheck } from "../domain/policy/odoo-checks";
import { GATE_NAMES, type GateName, STAGES } from "../domain/register/vocabulary";
import { boundedText } from "./bounds";
import { method } from "./define";
import type { Gate } from "./methods/register";

// The Odoo connection per environment and the gate checks measured on it (issue #18). The API key itself is
// accepted by odoo.connection.set only to be stored (safeStorage or a 0600 file); no method ever returns it.

type OdooApiName = "json2" | "jsonrpc";
type OdooKeySourceName = "env" | "file" | "safe-storage";

export interface OdooConnectionView {
  readonly environment: string;
  readonly url: string;
  readonly database: string;
  readonly login: string;
  /** The environment variable the key is read from first, when the connection names one. */
  readonly keyEnv: string | null;
  /** Where the key comes from now (null: no key found), and the variable's name or file's path: never the key. */
  readonly key: { readonly source: OdooKeySourceName | null; readonly where: string | null };
}

/** One call a check made, as the evidence lists it. */
export interface OdooQuery {
  readonly model: string;
  readonly method: string;
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Record<string, unknown>>;
}

type OdooCheckStatus = "pass" | "fail" | "error" | "not-installed" | "not-applicable";

export interface OdooCheckResult {
  readonly id: string;
  readonly title: string;
  readonly gate: GateName;
  readonly model: string;
  readonly measure: string;
  readonly unit: string | null;
  readonly threshold: { readonly op: string; readonly value: number };
  readonly status: OdooCheckStatus;
  /** The measured value (null when nothing could be measured). */
  readonly value: number | null;
  readonly note?: string;
  readonly queries: readonly OdooQuery[];
}

export interface OdooGateOutcome {
  readonly gate: GateName;
  readonly status: "pass" | "fail" | "error";
  readonly checks: readonly string[];
}

export interface OdooCheckRun {
  readonly id: string;
  readonly environment: string;
  readonly url: string;
  readonly database: string;
  readonly api: OdooApiName;
  readonly serverVersion: string;
  readonly ranAt: string;
  readonly ranBy: string;
  /** fail when a gate failed; error when none failed but a check could not measure; else pass */
  readonly status: "pass" | "fail" | "error";
  readonly gates: readonly OdooGateOutcome[];
  readonly checks: readonly OdooCheckResult[];
  /** The gate records this run made on the change it was run for (none without a change). */
  readonly recorded: readonly Gate[];
}

const environment = z.enum(STAGES);
// A script names the person it acts for (the pages act as the proved key holder); a scheduled run is system:odoo.
const actor = z.email().max(200).optional();
const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,63}$/, "an environment variable name like ODOO_PROD_KEY");
const httpUrl = boundedText(300).refine((u) => /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(u), "an http(s) URL");

export const odooMethods = {
  /** Every environment's Odoo connection, with where its key comes from. */
  "odoo.connection.list": method<{ connections: OdooConnectionView[] }>()({
    input: z.object({}).strict(),
    mutates: false,
  }),
  /** Sets an environment's connection; a key given here is stored (never in the register) and not returned. */
  "odoo.connection.set": method<OdooConnectionView>()({
    input: z
      .object({
        environment,
        url: httpUrl,
        database: boundedText(100),
        login: boundedText(200),
        keyEnv: envVarName.nullable().optional(),
        key: z.string().min(8).max(500).optional(),
        actor,
      })
      .strict(),
    mutates: true,
  }),
  /** Connects to an environment's Odoo and says which API and server version answered. */
  "odoo.connection.test": method<{
    environment: string;
    api: OdooApiName;
    serverVersion: string;
    key: OdooConnectionView["key"];
  }>()({
    input: z.object({ environment }).strict(),
    mutates: false,
  }),
  /** The gate checks in force (presets and policy.yaml `odoo: checks:`), for one environment or all. */
  "odoo.check.list": method<{ checks: OdooCheck[] }>()({
    input: z.object({ environment: environment.optional() }).strict(),
    mutates: false,
  }),
  /**
   * Runs the checks of an environment (one gate or all) on its Odoo and keeps the run; with a change, records each
   * gate's outcome on it at that stage as a gate record signed by the caller.
   */
  "odoo.check.run": method<OdooCheckRun>()({
    input: z
      .object({
        environment,
        gate: z.enum(GATE_NAMES).optional(),
        changeId: z.string().min(1).max(40).optional(),
        actor: z.union([z.email().max(200), z.literal("system:odoo")]).optional(),
      })
      .strict(),
    mutates: true,
  }),
  /** The latest run of each gate's checks in an environment. */
  "odoo.check.latest": method<{ runs: OdooCheckRun[] }>()({
    input: z.object({ environment }).strict(),
    mutates: false,
  }),
  /** A person confirms a scheduled (system:odoo) check record: it is recorded again, signed by them. */
  "odoo.check.confirm": method<Gate>()({
    input: z.object({ gateId: z.string().min(1).max(40), actor }).strict(),
    mutates: true,
  }),
} as const;

export type OdooMethodName = keyof typeof odooMethods;
