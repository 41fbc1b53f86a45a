import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { demoGatePolicy } from "../../../shared/domain/demo/gates";
import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import {
  type ActionRules,
  DEFAULT_GATE_POLICY,
  DEFAULT_RISK_POLICY,
  DEFAULT_ROLLBACK_POLICY,
  findPerson,
  type GatePolicy,
  type Policy,
  parsePolicy,
  type RiskPolicy,
  type RollbackPolicy,
} from "../../../shared/domain/policy/index";
import type { OdooPolicy } from "../../../shared/domain/policy/odoo-checks";
import { demoRoleDirectory, type RoleDirectory } from "./actor";
import type { Db } from "./db";
import { stmt } from "./statements";

/** The settings key marking a register seeded with the demo plant network (written by seedDemoRegister). */
const DEMO_REGISTER_SETTING = "register.demo";

/** True when the register was seeded as the demo. */
export function isDemoRegister(db: Db): boolean {
  return stmt(db, "SELECT value FROM settings WHERE key = ?").pluck().get(DEMO_REGISTER_SETTING) === "true";
}

/** Marks the register as the demo; call inside the seeding transaction. */
export function markDemoRegister(db: Db): void {
  stmt(
    db,
    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  ).run(DEMO_REGISTER_SETTING, "true");
}

/** Where the register's role directory looks. */
interface PolicyRoleSource {
  /** The GitOps working copy folder (CoreServices.gitopsDir), or null when this install has none. */
  readonly gitopsDir: string | null;
  /** Asked only while no working copy exists: a demo register then uses the demo roster. */
  readonly isDemo: () => boolean;
  /** The policy parser; tests count its calls. */
  readonly parse?: (text: string) => Policy;
}

/**
 * Roles from `.shiftgate/policy.yaml` in the GitOps working copy (the file and parser identity and approvals use).
 * - A valid policy: the person's roles there; a person it does not list holds none (the demo roster is ignored).
 * - No working copy (no `.git`): the demo roster for a register seeded as the demo, else an `unavailable` error.
 * - A working copy whose policy.yaml is missing or invalid: an `unavailable` error naming the file and the fix.
 * Nobody is assumed to hold a role the policy cannot vouch for, so a waiver is refused rather than misjudged.
 * Synchronous, so recordGate can ask inside its SQLite transaction; the parsed policy is kept per file content.
 */
export function policyRoleDirectory(source: PolicyRoleSource): RoleDirectory {
  const dir = source.gitopsDir;
  const read =
    dir === null ? null : cachedPolicyReader(join(dir, ".shiftgate", "policy.yaml"), source.parse ?? parsePolicy);
  return (email) => {
    if (dir === null || read === null || !isWorkingCopy(dir)) {
      if (source.isDemo()) return demoRoleDirectory(email);
      throw new AppError(
        "unavailable",
        "Who may waive a gate is read from .shiftgate/policy.yaml in the GitOps repository, and this install has " +
          `no GitOps working copy${dir ? ` at ${dir}` : ""}. Clone the plant's GitOps repository there (or create ` +
          "the demo repository on the GitOps page), then record the waiver again.",
        { reason: "no-working-copy" },
      );
    }
    return findPerson(read(), email)?.roles ?? [];
  };
}

/** Who may take each action, and which environments are protected, as the policy in force says. */
export interface PolicyPermissions {
  readonly rules: ActionRules;
  readonly protectedEnvironments: readonly string[];
  /** The gates required before promotion out of each stage (policy `gates:`, else the built-in default). */
  readonly gates: GatePolicy;
  /** The person's roles in that policy (none for someone it does not list). */
  readonly rolesOf: RoleDirectory;
  /** The person's name as the policy lists them, or null. */
  readonly nameOf: (email: string) => string | null;
  /** Risk weights, thresholds and floors (`risk:`), and what rollback readiness demands (`rollback:`). */
  readonly risk: RiskPolicy;
  readonly rollback: RollbackPolicy;
  /** The Odoo gate checks (`odoo:`); absent: the built-in presets. */
  readonly odoo?: OdooPolicy;
}

// Without a working copy, keys are proved against the built-in demo policy (identity/trust.ts), so who may act is
// judged by it too: the demo roster's roles, the default actions, production and preproduction protected.
const DEMO_PERMISSIONS: PolicyPermissions = {
  rules: {},
  protectedEnvironments: ["production", "preproduction"],
  gates: demoGatePolicy(),
  rolesOf: demoRoleDirectory,
  nameOf: (email) => DEMO_PEOPLE.find((p) => p.email === email.toLowerCase())?.name ?? null,
  risk: DEFAULT_RISK_POLICY,
  rollback: DEFAULT_ROLLBACK_POLICY,
};

/**
 * The `actions:` rules, protected environments and people of `.shiftgate/policy.yaml`, the policy identity proves
 * keys against: without a working copy the built-in demo one; a missing or invalid file is an `unavailable` error.
 */
export function policyPermissions(source: Pick<PolicyRoleSource, "gitopsDir" | "parse">): () => PolicyPermissions {
  const dir = source.gitopsDir;
  const read =
    dir === null ? null : cachedPolicyReader(join(dir, ".shiftgate", "policy.yaml"), source.parse ?? parsePolicy);
  return () => {
    if (dir === null || read === null || !isWorkingCopy(dir)) return DEMO_PERMISSIONS;
    const policy = read();
    return {
      rules: policy.actions,
      protectedEnvironments: Object.entries(policy.environments).flatMap(([name, e]) => (e.protected ? [name] : [])),
      gates: policy.gates ?? DEFAULT_GATE_POLICY,
      rolesOf: (email) => findPerson(policy, email)?.roles ?? [],
      nameOf: (email) => findPerson(policy, email)?.name ?? null,
      risk: policy.risk ?? DEFAULT_RISK_POLICY,
      rollback: policy.rollback ?? DEFAULT_ROLLBACK_POLICY,
      odoo: policy.odoo,
    };
  };
}

function isWorkingCopy(dir: string): boolean {
  return existsSync(join(dir, ".git"));
}

type Outcome = { readonly policy: Policy } | { readonly error: AppError };

interface CacheEntry {
  readonly stamp: string;
  readonly hash: string;
  readonly settled: boolean;
  readonly outcome: Outcome;
}

// A file written this recently may be written again within the file system's timestamp granularity without its
// stamp moving (git calls such index entries "racily clean"), so its content is checked again on the next call.
const RACY_MS = 2_000;

// A waiver asks for one person's roles: an unchanged file (same inode, size and times) is neither read nor parsed
// again; a touched one is read, and parsed only when its bytes differ. Failures are kept too, so an invalid policy
// is not re-parsed on every call, and an edit (a pull, a fix) is picked up at the next call.
function cachedPolicyReader(file: string, parse: (text: string) => Policy): () => Policy {
  let cached: CacheEntry | null = null;
  return () => {
    let stat: ReturnType<typeof statStamp>;
    try {
      stat = statStamp(file);
    } catch {
      cached = null;
      throw new AppError(
        "unavailable",
        `Who may waive a gate is read from ${file}, which is missing. Pull the GitOps repository or restore ` +
          ".shiftgate/policy.yaml, then record the waiver again.",
        { reason: "policy-missing", file },
      );
    }
    if (cached?.stamp !== stat.stamp || !cached.settled) {
      const bytes = readFileSync(file);
      const hash = createHash("sha256").update(bytes).digest("hex");
      const outcome = cached?.hash === hash ? cached.outcome : parseOutcome(file, bytes.toString("utf8"), parse);
      // Wall time, not the core's clock: this compares with the file system's own timestamps.
      cached = { stamp: stat.stamp, hash, settled: Date.now() - stat.mtimeMs > RACY_MS, outcome };
    }
    if ("error" in cached.outcome) throw cached.outcome.error;
    return cached.outcome.policy;
  };
}

function statStamp(file: string): { readonly stamp: string; readonly mtimeMs: number } {
  const s = statSync(file, { bigint: true });
  return { stamp: `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`, mtimeMs: Number(s.mtimeMs) };
}

function parseOutcome(file: string, text: string, parse: (text: string) => Policy): Outcome {
  try {
    return { policy: parse(text) };
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return {
      error: new AppError(
        "unavailable",
        `Who may waive a gate is read from ${file}, which is not a valid policy (${problem}). Fix policy.yaml in ` +
          "the GitOps repository (or pull the fixed version), then record the waiver again.",
        { reason: "policy-invalid", file, problem },
      ),
    };
  }
}
