import type { Identity } from "../../../shared/contract/methods/approvals";
import { findPerson, type Policy, type PolicyPerson, RISKS } from "../../../shared/domain/policy/index";
import { IDENTITY_EMAIL_SETTING, IDENTITY_KEY_SETTING } from "../register/actor";
import type { Db } from "../register/db";
import { stmt } from "../register/statements";
import { type KeyRef, keyLabel, parseKeyRef, serialiseKeyRef } from "./key-ref";
import { keyFingerprint } from "./ssh-key";
import type { Trust } from "./trust";

/** The settings key holding the selected signing key (table `settings`, migration 0001). */
const KEY_SETTING = IDENTITY_KEY_SETTING;

/** The person behind the configured key: what every approval call re-derives; never a name from the renderer. */
export interface Signatory {
  readonly key: KeyRef;
  readonly fingerprint: string;
  readonly email: string;
  readonly person: PolicyPerson;
}

/** The selected key, or null. */
export function selectedKey(db: Db): KeyRef | null {
  const row = stmt(db, "SELECT value FROM settings WHERE key = ?").get(KEY_SETTING) as { value: string } | undefined;
  return row ? parseKeyRef(row.value) : null;
}

/** Remembers the selected key and the e-mail it was verified to speak for; call inside a transaction. */
export function storeKey(db: Db, key: KeyRef, email: string): void {
  const upsert = stmt(
    db,
    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  upsert.run(KEY_SETTING, serialiseKeyRef(key));
  upsert.run(IDENTITY_EMAIL_SETTING, email);
}

type Identification = {
  readonly signatory: Signatory | null;
  readonly fingerprint: string | null;
  readonly problem: string | null;
};

// SSH: the key's fingerprint names a principal in allowed_signers. OpenPGP: a fingerprint in keys/<email>.asc.
function principalOf(trust: Trust, key: KeyRef): { readonly fingerprint: string; readonly email: string | null } {
  if (key.format === "ssh") {
    const fingerprint = keyFingerprint(key.keyFile);
    return { fingerprint, email: trust.signers.find((s) => s.fingerprint === fingerprint)?.principals[0] ?? null };
  }
  const fingerprint = key.fingerprint.toUpperCase();
  return { fingerprint, email: trust.pgpKeys.find((k) => k.fingerprints.includes(fingerprint))?.email ?? null };
}

/** Key → fingerprint → allowed signer (or OpenPGP key file) → policy person; `problem` says where the chain breaks. */
export function identify(trust: Trust, key: KeyRef | null): Identification {
  if (key === null)
    return { signatory: null, fingerprint: null, problem: "No signing key is selected: choose your key first." };
  let found: { readonly fingerprint: string; readonly email: string | null };
  try {
    found = principalOf(trust, key);
  } catch (error) {
    return { signatory: null, fingerprint: null, problem: error instanceof Error ? error.message : String(error) };
  }
  const { fingerprint, email } = found;
  if (!email)
    return {
      signatory: null,
      fingerprint,
      problem:
        key.format === "ssh"
          ? `The key ${fingerprint} is not in the repository's allowed signers, so it speaks for nobody.`
          : `The OpenPGP key ${fingerprint} is not among the repository's .shiftgate/keys, so it speaks for nobody.`,
    };
  const person = findPerson(trust.policy, email);
  if (!person) return { signatory: null, fingerprint, problem: `${email} is not a person in policy.yaml.` };
  return { signatory: { key, fingerprint, email: person.email, person }, fingerprint, problem: null };
}

/**
 * What the identity screen shows. `proved` is false when the selected key has not signed in this run of the
 * core (a selection remembered from before a restart): it is shown as nobody until it is chosen again.
 */
export function identityView(trust: Trust, key: KeyRef | null, proved = true): Identity {
  const found = identify(trust, key);
  const { fingerprint } = found;
  const signatory = proved ? found.signatory : null;
  const problem =
    found.signatory && !proved
      ? `Shiftgate has not seen this key sign since it started: choose it again (with its passphrase) to act as ${found.signatory.person.name}.`
      : found.problem;
  const person = signatory?.person ?? null;
  const roles = person?.roles ?? [];
  const mayLog = roles.some((r) => trust.policy.emergency.exceptionRoles.includes(r));
  const mayReview = roles.some((r) => trust.policy.emergency.reviewerRoles.includes(r));
  return {
    known: signatory !== null,
    keyFile: key ? keyLabel(key) : null,
    format: key?.format ?? null,
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
