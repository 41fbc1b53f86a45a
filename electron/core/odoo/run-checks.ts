import { AppError, isAppError } from "../../../shared/contract/errors";
import type { OdooCheckResult, OdooGateOutcome, OdooQuery } from "../../../shared/contract/odoo";
import { meetsTarget } from "../../../shared/domain/policy/gate-rules";
import type { OdooCheck, OdooDomain } from "../../../shared/domain/policy/odoo-checks";
import type { OdooClient } from "./client";
import { majorOf, odooDate, odooDatetime } from "./odoo-time";

// Runs gate checks on one Odoo: each check is one measuring query (plus the look-ups its placeholders need), and
// every call made is kept as the query list of the evidence. Read-only: only search/read/group methods are called.

const HOUR = 3_600_000;

/** A client that writes down every call it makes (model, method, arguments: never the key). */
function recording(client: OdooClient, queries: OdooQuery[]): OdooClient {
  return {
    api: client.api,
    serverVersion: client.serverVersion,
    call: (model, method, args, kwargs = {}) => {
      queries.push({ model, method, args, kwargs });
      return client.call(model, method, args, kwargs);
    },
  };
}

async function xmlId(client: OdooClient, ref: string): Promise<number | null> {
  const [module, name] = ref.split(".") as [string, string];
  const rows = await client.call("ir.model.data", "search_read", [
    [
      ["module", "=", module],
      ["name", "=", name],
    ],
    ["res_id"],
  ]);
  const first = Array.isArray(rows) ? (rows[0] as { res_id?: unknown } | undefined) : undefined;
  return typeof first?.res_id === "number" ? first.res_id : null;
}

// With no lock date set nothing is locked: a date before any entry stands in, so the leaf matches nothing.
const NO_LOCK = "0001-01-01";

async function lockDate(client: OdooClient): Promise<string> {
  const rows = await client.call("res.company", "search_read", [[], ["fiscalyear_lock_date"]]);
  const dates = (Array.isArray(rows) ? rows : [])
    .map((r) => (r as { fiscalyear_lock_date?: unknown }).fiscalyear_lock_date)
    .filter((d): d is string => typeof d === "string" && d.length > 0)
    .sort();
  // The earliest lock of all companies: an entry dated on or before it is in a locked period whatever its company.
  return dates[0] ?? NO_LOCK;
}

/** Fills in a domain's placeholders ($now-24h, $today, $month-start, $lock-date, $ref:...). */
async function resolveDomain(client: OdooClient, domain: OdooDomain, now: Date): Promise<unknown[]> {
  const one = async (value: unknown): Promise<unknown> => {
    if (Array.isArray(value)) return Promise.all(value.map(one));
    if (typeof value !== "string" || !value.startsWith("$")) return value;
    const shifted = /^\$(now|today)(?:-(\d+)([hd]))?$/.exec(value);
    if (shifted) {
      const back = Number(shifted[2] ?? 0) * (shifted[3] === "d" ? 24 * HOUR : HOUR);
      const at = new Date(now.getTime() - back);
      return shifted[1] === "now" ? odooDatetime(at) : odooDate(at);
    }
    if (value === "$month-start") return `${odooDate(now).slice(0, 8)}01`;
    if (value === "$lock-date") return lockDate(client);
    if (value.startsWith("$ref:")) return (await xmlId(client, value.slice(5))) ?? 0;
    throw new AppError("invalid-input", `Unknown placeholder ${value} in an Odoo check.`);
  };
  return Promise.all(domain.map(async (item) => (Array.isArray(item) ? [item[0], item[1], await one(item[2])] : item)));
}

async function installed(client: OdooClient, module: string): Promise<boolean> {
  const count = await client.call("ir.module.module", "search_count", [
    [
      ["name", "=", module],
      ["state", "=", "installed"],
    ],
  ]);
  return typeof count === "number" && count > 0;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

async function aggregate(client: OdooClient, check: OdooCheck, domain: unknown[]): Promise<number | null> {
  const field = check.field as string;
  const fn = check.measure === "abs-sum" ? "sum" : check.measure;
  let raw: unknown;
  if (client.api === "json2") {
    // Odoo 19 deprecates read_group for formatted_read_group, whose keys are named "field:aggregator".
    const groups = await client.call(check.model, "formatted_read_group", [domain, [], [`${field}:${fn}`]]);
    raw = Array.isArray(groups) ? (groups[0] as Record<string, unknown> | undefined)?.[`${field}:${fn}`] : undefined;
  } else {
    const groups = await client.call(check.model, "read_group", [domain, [`${field}:${fn}`], []], { lazy: false });
    raw = Array.isArray(groups) ? (groups[0] as Record<string, unknown> | undefined)?.[field] : undefined;
  }
  const value = numberOrNull(raw);
  if (value === null) return fn === "sum" ? 0 : null;
  return check.measure === "abs-sum" ? Math.round(Math.abs(value) * 100) / 100 : value;
}

async function ageHours(client: OdooClient, check: OdooCheck, domain: unknown[], now: Date): Promise<number | null> {
  const field = check.field as string;
  const rows = await client.call(check.model, "search_read", [domain, [field]], { order: `${field} desc`, limit: 1 });
  const latest = Array.isArray(rows) ? (rows[0] as Record<string, unknown> | undefined)?.[field] : undefined;
  if (typeof latest !== "string") return null;
  const at = Date.parse(`${latest.replace(" ", "T")}Z`);
  if (Number.isNaN(at)) return null;
  return Math.round(((now.getTime() - at) / HOUR) * 10) / 10;
}

async function measure(
  client: OdooClient,
  check: OdooCheck,
  now: Date,
): Promise<{ value: number | null; note?: string }> {
  const domain = await resolveDomain(client, check.domain, now);
  if (check.ref) {
    const id = await xmlId(client, check.ref);
    if (id === null) return { value: null, note: `${check.ref} does not exist in this database` };
    domain.push(["id", "=", id]);
  }
  switch (check.measure) {
    case "count": {
      const count = await client.call(check.model, "search_count", [domain]);
      return { value: numberOrNull(count) };
    }
    case "age-hours": {
      const value = await ageHours(client, check, domain, now);
      return value === null ? { value, note: `no ${check.model} record with a ${check.field} matched` } : { value };
    }
    default:
      return { value: await aggregate(client, check, domain) };
  }
}

/** Runs one check; an Odoo error becomes the check's "error" (or "not-installed"), never a thrown exception. */
export async function runCheck(client: OdooClient, check: OdooCheck, now: Date): Promise<OdooCheckResult> {
  const queries: OdooQuery[] = [];
  const recorded = recording(client, queries);
  const base = {
    id: check.id,
    title: check.title,
    gate: check.gate,
    model: check.model,
    measure: check.measure,
    unit: check.unit ?? null,
    threshold: check.threshold,
    queries,
  };
  if (check.sinceVersion !== undefined && majorOf(client.serverVersion) < check.sinceVersion) {
    return { ...base, status: "not-applicable", value: null, note: `needs Odoo ${check.sinceVersion} or later` };
  }
  try {
    if (check.module && !(await installed(recorded, check.module))) {
      return { ...base, status: "not-installed", value: null, note: `module ${check.module} is not installed` };
    }
    const { value, note } = await measure(recorded, check, now);
    const ok = value !== null && meetsTarget(value, check.threshold.op, check.threshold.value);
    return { ...base, status: ok ? "pass" : "fail", value, ...(note ? { note } : {}) };
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.details?.kind === "not-installed") {
      return { ...base, status: "not-installed", value: null, note: `${check.model} is not installed` };
    }
    return { ...base, status: "error", value: null, note: error.message };
  }
}

/** The outcome per gate: failed if any of its checks failed, else in error if one could not measure, else passed. */
export function gateOutcomes(results: readonly OdooCheckResult[]): OdooGateOutcome[] {
  const gates = [...new Set(results.map((r) => r.gate))];
  return gates.map((gate) => {
    const mine = results.filter((r) => r.gate === gate);
    const status = mine.some((r) => r.status === "fail")
      ? "fail"
      : mine.some((r) => r.status === "error")
        ? "error"
        : "pass";
    return { gate, status, checks: mine.map((r) => r.id) };
  });
}
