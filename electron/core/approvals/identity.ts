import { AppError } from "../../../shared/contract/errors";
import type { Identity } from "../../../shared/contract/methods/approvals";
import { findPerson, type Policy, type PolicyPerson, RISKS } from "../../../shared/domain/policy/index";
import type { Db } from "../register/db";
import { stmt } from "../register/statements";
import { keyFingerprint } from "./ssh-key";
import type { Trust } from "./trust";

/** The settings key holding the selected signing key file (table `settings`, migration 0001). */
export const KEY_SETTING = "identity.keyFile";

/** The person behind the configured key: what every approval call re-derives; never a name from the renderer. */
export interface Signatory {
  readonly keyFile: string;
  readonly fingerprint: string;
  readonly email: string;
  readonly person: PolicyPerson;
}

/** The selected key file, or null. */
export function selectedKeyFile(db: Db): string | null {
  const row = stmt(db, "SELECT value FROM settings WHERE key = ?").get(KEY_SETTING) as { value: string } | undefined;
  return row?.value ?? null;
}

/** Remembers the selected key file; call inside a transaction. */
export function storeKeyFile(db: Db, keyFile: string): void {
  stmt(
    db,
    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  ).run(KEY_SETTING, keyFile);
}

/** Key → fingerprint → allowed_signers principal → policy person; `problem` says where the chain breaks. */
export function identify(
  trust: Trust,
  keyFile: string | null,
): { readonly signatory: Signatory | null; readonly fingerprint: string | null; readonly problem: string | null } {
  if (keyFile === null)
    return { signatory: null, fingerprint: null, problem: "No signing key is selected: choose your key first." };
  let fingerprint: string;
  try {
    fingerprint = keyFingerprint(keyFile);
  } catch (error) {
    return { signatory: null, fingerprint: null, problem: error instanceof Error ? error.message : String(error) };
  }
  const entry = trust.signers.find((s) => s.fingerprint === fingerprint);
  const email = entry?.principals[0];
  if (!email)
    return {
      signatory: null,
      fingerprint,
      problem: `The key ${fingerprint} is not in the repository's allowed signers, so it speaks for nobody.`,
    };
  const person = findPerson(trust.policy, email);
  if (!person) return { signatory: null, fingerprint, problem: `${email} is not a person in policy.yaml.` };
  return { signatory: { keyFile, fingerprint, email: person.email, person }, fingerprint, problem: null };
}

/** The signatory of this laptop, or an `unauthorised` AppError saying why there is none. */
export function requireSignatory(trust: Trust, db: Db): Signatory {
  const { signatory, problem } = identify(trust, selectedKeyFile(db));
  if (!signatory) throw new AppError("unauthorised", problem ?? "No signing key is selected.");
  return signatory;
}

/** What the identity screen shows. */
export function identityView(trust: Trust, keyFile: string | null): Identity {
  const { signatory, fingerprint, problem } = identify(trust, keyFile);
  const person = signatory?.person ?? null;
  const roles = person?.roles ?? [];
  const mayLog = roles.some((r) => trust.policy.emergency.exceptionRoles.includes(r));
  const mayReview = roles.some((r) => trust.policy.emergency.reviewerRoles.includes(r));
  return {
    known: signatory !== null,
    keyFile,
    fingerprint,
    email: person?.email ?? null,
    name: person?.name ?? null,
    roles,
    plants: person?.plants ?? [],
    source: trust.source,
    problem,
    abilities: person ? abilities(trust.policy, person, mayLog, mayReview) : [],
    mayLogExceptions: mayLog,
    mayReviewExceptions: mayReview,
  };
}

function abilities(policy: Policy, person: PolicyPerson, mayLog: boolean, mayReview: boolean): string[] {
  const out: string[] = [];
  const classes = [
    ...RISKS.map((r) => [`${r}-risk changes`, policy.approvals[r]] as const),
    ["emergency changes", policy.approvals.emergency] as const,
    ["database migrations", policy.approvals.dbMigration] as const,
  ];
  for (const [label, rules] of classes) {
    for (const rule of rules) {
      if (!person.roles.includes(rule.role)) continue;
      const plants = rule.perPlant ? person.plants : [];
      if (rule.perPlant && plants.length === 0) continue;
      out.push(`approve ${label} as ${rule.role}${plants.length ? ` for ${plants.join(", ")}` : ""}`);
    }
  }
  if (mayLog) out.push("log emergency exceptions");
  if (mayReview) out.push("review emergency exceptions");
  return out;
}
