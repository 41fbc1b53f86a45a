import { type Policy, parsePolicy, templateIdOfPath } from "../../../../shared/domain/policy/index";
import { type AllowedSigner, parseAllowedSigners } from "../keys";

/** One tracked file at a commit: its blob, who last wrote it, and whether that commit was discarded. */
export interface FileEntry {
  readonly blob: string;
  readonly commit: string;
  readonly committedAt: string;
  /** The finding kind that discarded the writing commit, or null when it was sound. */
  readonly discarded: string | null;
}

/** The tracked part of a tree: `.shiftgate/` files, each change's folder, and manifests under protected paths. */
export interface FileState {
  readonly shiftgate: Map<string, FileEntry>;
  readonly changes: Map<string, Map<string, FileEntry>>;
  readonly manifests: Map<string, FileEntry>;
}

/** The policy, keys and calendars in force (those of the last `.shiftgate/` commit without a finding). */
export interface PolicyState {
  readonly policy: Policy;
  readonly signers: readonly AllowedSigner[];
  /** OpenPGP fingerprints by e-mail (from .shiftgate/keys/<email>.asc). */
  readonly pgpKeys: ReadonlyMap<string, ReadonlySet<string>>;
  /** Calendar blob by plant id (from .shiftgate/calendars/<plant>.ics). */
  readonly calendars: ReadonlyMap<string, string>;
  /** Globs of protected environments' paths. */
  readonly protectedGlobs: readonly string[];
  /** Standard-change template blob by id (from .shiftgate/standard-changes/<id>.yaml). */
  readonly templates: ReadonlyMap<string, string>;
}

export function emptyFileState(): FileState {
  return { shiftgate: new Map(), changes: new Map(), manifests: new Map() };
}

export function cloneFileState(s: FileState): FileState {
  return {
    shiftgate: new Map(s.shiftgate),
    changes: new Map([...s.changes].map(([id, files]) => [id, new Map(files)])),
    manifests: new Map(s.manifests),
  };
}

const CHANGE_PATH = /^changes\/([^/]+)\/(.+)$/;

/** Splits `changes/<ID>/<rest>` into its id and rest. */
export function changePath(path: string): { readonly id: string; readonly rest: string } | null {
  const m = CHANGE_PATH.exec(path);
  return m?.[1] && m[2] ? { id: m[1], rest: m[2] } : null;
}

/** The entry for a path in the state, if the state tracks it. */
export function lookupPath(state: FileState, path: string): FileEntry | undefined {
  if (path.startsWith(".shiftgate/")) return state.shiftgate.get(path);
  const cp = changePath(path);
  if (cp) return state.changes.get(cp.id)?.get(cp.rest);
  return state.manifests.get(path);
}

/** Applies one changed path to the state; `manifest` says whether a path outside changes/ and .shiftgate/ is tracked. */
export function applyPath(state: FileState, path: string, entry: FileEntry | null, manifest = false): void {
  if (manifest && !path.startsWith(".shiftgate/") && !path.startsWith("changes/")) {
    if (entry) state.manifests.set(path, entry);
    else state.manifests.delete(path);
    return;
  }
  if (path.startsWith(".shiftgate/")) {
    if (entry) state.shiftgate.set(path, entry);
    else state.shiftgate.delete(path);
    return;
  }
  const cp = changePath(path);
  if (!cp) return;
  let files = state.changes.get(cp.id);
  if (!files) {
    if (!entry) return;
    files = new Map();
    state.changes.set(cp.id, files);
  }
  if (entry) files.set(cp.rest, entry);
  else files.delete(cp.rest);
}

// Parsed policies by blob id (content-addressed, so never stale): a history adopts the same policy.yaml at every
// .shiftgate/ commit that leaves it alone, and one verify run parses each version once.
const policies = new Map<string, Policy | null>();

function policyOf(blobId: string, text: Buffer): Policy | null {
  const hit = policies.get(blobId);
  if (hit !== undefined) return hit;
  let policy: Policy | null;
  try {
    policy = parsePolicy(text.toString("utf8"));
  } catch {
    policy = null;
  }
  if (policies.size > 64) policies.clear();
  policies.set(blobId, policy);
  return policy;
}

/** Builds the policy state from `.shiftgate/` files; null when policy.yaml is missing or invalid (not adopted). */
export function buildPolicyState(
  state: FileState,
  blob: (sha: string) => Buffer | null,
  pgpFingerprints: ReadonlyMap<string, readonly string[]>,
): PolicyState | null {
  const policyEntry = state.shiftgate.get(".shiftgate/policy.yaml");
  const text = policyEntry ? blob(policyEntry.blob) : null;
  if (!text) return null;
  const policy = policyOf(policyEntry?.blob ?? "", text);
  if (!policy) return null;
  const signersEntry = state.shiftgate.get(".shiftgate/allowed_signers");
  const signers = signersEntry ? parseAllowedSigners(blob(signersEntry.blob)?.toString("utf8") ?? "") : [];
  const pgpKeys = new Map<string, Set<string>>();
  const calendars = new Map<string, string>();
  const templates = new Map<string, string>();
  for (const [path, entry] of state.shiftgate) {
    const key = /^\.shiftgate\/keys\/(.+)\.asc$/.exec(path);
    if (key?.[1]) pgpKeys.set(key[1].toLowerCase(), new Set(pgpFingerprints.get(entry.blob) ?? []));
    const cal = /^\.shiftgate\/calendars\/(.+)\.ics$/.exec(path);
    if (cal?.[1]) calendars.set(cal[1], entry.blob);
    const template = templateIdOfPath(path);
    if (template) templates.set(template, entry.blob);
  }
  const protectedGlobs = Object.values(policy.environments)
    .filter((e) => e.protected)
    .flatMap((e) => (e.helmValues ? [...e.paths, e.helmValues] : e.paths));
  return { policy, signers, pgpKeys, calendars, protectedGlobs, templates };
}
