import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import type { DemoKey } from "../../../shared/contract/methods/approvals";
import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import { type Policy, parsePolicy } from "../../../shared/domain/policy/index";
import { demoPolicy } from "../gitops/demo-policy";
import { type AllowedSigner, ensureSshKey, parseAllowedSigners } from "../gitops/keys";
import { pgpFingerprints } from "../gitops/verify/signatures";
import { makePrivateDir } from "../private-files";
import { keyFingerprint } from "./ssh-key";

/** What identity and approvals are judged by: policy.yaml and allowed_signers, from the repository or the demo. */
export interface Trust {
  readonly source: "gitops" | "demo";
  readonly policy: Policy;
  readonly signers: readonly AllowedSigner[];
  /** OpenPGP public keys of `.shiftgate/keys/<email>.asc`: each person's key fingerprints (primary and subkeys). */
  readonly pgpKeys: readonly PgpKeyEntry[];
  /** The GitOps working copy, when one is configured. */
  readonly repoDir: string | null;
}

/** One `.shiftgate/keys/<email>.asc`. */
interface PgpKeyEntry {
  readonly email: string;
  readonly fingerprints: readonly string[];
}

/** Loads the trust in force now (read on every call: a pulled policy change applies at once). */
export type TrustLoader = () => Promise<Trust>;

/** True when the folder is a GitOps working copy with a policy. */
export function isConfiguredRepo(dir: string | null): dir is string {
  return dir !== null && existsSync(join(dir, ".git")) && existsSync(join(dir, ".shiftgate", "policy.yaml"));
}

/**
 * The repository's policy and signers when a working copy is configured, else (no working copy at all) the demo
 * policy and the demo people's keys. A working copy without its policy.yaml is refused, never judged by the demo:
 * the demo's keys are generated on this laptop, so falling back to them would let anyone here approve.
 */
export function trustLoader(gitopsDir: string | null, demoKeysDir: string): TrustLoader {
  let demoKeys: Promise<readonly DemoKey[]> | null = null;
  const pgp = pgpKeyReader();
  // The file is read on every call, parsed only when its text changed: every load of the inbox (polled by the
  // desktop notifier) asks for the trust, and parsing policy.yaml costs more than judging an unchanged inbox.
  let parsed: { readonly text: string; readonly policy: Policy } | null = null;
  const policyOf = (text: string): Policy => {
    if (parsed?.text !== text) parsed = { text, policy: parsePolicy(text) };
    return parsed.policy;
  };
  return async () => {
    if (gitopsDir !== null && existsSync(join(gitopsDir, ".git")) && !isConfiguredRepo(gitopsDir))
      throw new AppError(
        "unavailable",
        `The GitOps working copy at ${gitopsDir} has no .shiftgate/policy.yaml, so nobody's roles or approvals can be ` +
          "judged. Pull the repository (or restore the file from its history), then try again.",
        { reason: "policy-missing" },
      );
    if (isConfiguredRepo(gitopsDir)) {
      const signersFile = join(gitopsDir, ".shiftgate", "allowed_signers");
      return {
        source: "gitops",
        policy: policyOf(readFileSync(join(gitopsDir, ".shiftgate", "policy.yaml"), "utf8")),
        signers: existsSync(signersFile) ? parseAllowedSigners(readFileSync(signersFile, "utf8")) : [],
        pgpKeys: await pgp(join(gitopsDir, ".shiftgate", "keys")),
        repoDir: gitopsDir,
      };
    }
    // One generation per loader: two calls at once must not race ssh-keygen over the same files.
    demoKeys ??= ensureDemoKeys(demoKeysDir);
    const keys = await demoKeys.catch((error: unknown) => {
      demoKeys = null;
      throw error;
    });
    return {
      source: "demo",
      policy: demoPolicy(undefined, "ssh", { gates: true }),
      signers: demoSigners(keys),
      pgpKeys: [],
      repoDir: null,
    };
  };
}

// Reading a key's fingerprints runs gpg; keys change rarely, so each file's answer is kept by its content.
function pgpKeyReader(): (dir: string) => Promise<readonly PgpKeyEntry[]> {
  const cache = new Map<string, readonly string[]>();
  return async (dir) => {
    if (!existsSync(dir)) return [];
    const out: PgpKeyEntry[] = [];
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith(".asc"))
      .sort()) {
      const bytes = readFileSync(join(dir, name));
      const hash = createHash("sha256").update(bytes).digest("hex");
      let fingerprints = cache.get(hash);
      if (!fingerprints) {
        fingerprints = await pgpFingerprints(bytes);
        cache.set(hash, fingerprints);
      }
      out.push({ email: name.slice(0, -".asc".length).toLowerCase(), fingerprints });
    }
    return out;
  };
}

/**
 * The demo people's keys this laptop can switch between: while no repository is configured, the built-in
 * demo's keys (generated on first use); with the demo GitOps repository, the keys it generated beside it
 * (`keys/<email>.key`) that its allowed_signers lists. A real repository's people bring their own keys.
 */
export async function switchableDemoKeys(
  trust: Trust,
  demoKeysDir: string,
  repoKeysDir: string,
): Promise<readonly DemoKey[]> {
  if (trust.source === "demo") return ensureDemoKeys(demoKeysDir);
  const known = new Set(trust.signers.map((s) => s.fingerprint));
  return DEMO_PEOPLE.flatMap((p) => {
    const keyFile = join(repoKeysDir, `${p.email}.key`);
    if (!existsSync(keyFile) || !existsSync(`${keyFile}.pub`)) return [];
    const fingerprint = keyFingerprint(keyFile);
    return known.has(fingerprint)
      ? [{ email: p.email, name: p.name, roles: p.roles, plants: p.plants, keyFile, fingerprint }]
      : [];
  });
}

/** The demo people's signing keys, generated (unencrypted) in the data folder on first use. */
async function ensureDemoKeys(dir: string): Promise<readonly DemoKey[]> {
  makePrivateDir(dir, { tighten: true });
  const out: DemoKey[] = [];
  for (const p of DEMO_PEOPLE) {
    const keyFile = join(dir, `${p.email}.key`);
    // A private key without its public half (a crash between the two) is reused, never overwritten.
    if (!existsSync(keyFile) || !existsSync(`${keyFile}.pub`)) await ensureSshKey(dir, p.email);
    out.push({
      email: p.email,
      name: p.name,
      roles: p.roles,
      plants: p.plants,
      keyFile,
      fingerprint: keyFingerprint(keyFile),
    });
  }
  return out;
}

function demoSigners(keys: readonly DemoKey[]): readonly AllowedSigner[] {
  return keys.flatMap((k) => {
    const line = readFileSync(`${k.keyFile}.pub`, "utf8").trim();
    return parseAllowedSigners(`${k.email} namespaces="git" ${line.split(/\s+/).slice(0, 2).join(" ")}\n`);
  });
}
