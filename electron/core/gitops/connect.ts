import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import type { GitopsConnectProbe } from "../../../shared/contract/methods/gitops";
import type { Clock } from "../clock";
import { dataPaths } from "../paths";
import { classifyCloneFailure, connectError } from "./connect-errors";
import { initialisePolicy, type PolicyAdmin } from "./connect-init";
import { gitopsFolder } from "./demo-install";
import { type GitContext, git, gitRaw } from "./git";
import { isAlive } from "./process-alive";
import { pinnedTrustRoot, pinTrustRoot } from "./trust-pin";
import { verifyRepo } from "./verify/verify";

/** Where a connected working copy records what it was connected to (beside `work`, never inside the repository). */
function connectionFile(dataDir: string): string {
  return join(gitopsFolder(dataDir), "connection.json");
}

/** What `connection.json` holds: the plant's repository this data folder follows. */
export interface Connection {
  readonly url: string;
  readonly branch: string;
  readonly trustRoot: string;
  readonly connectedAt: string;
}

/** The connection this data folder follows, or null (the demo, or nothing yet). */
export function readConnection(dataDir: string): Connection | null {
  const file = connectionFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as Partial<Connection>;
    return typeof value.url === "string" && typeof value.branch === "string" ? (value as Connection) : null;
  } catch {
    // A damaged file must not take the whole GitOps part down: the working copy's own settings still hold.
    return null;
  }
}

interface ConnectRequest {
  readonly url: string;
  /** The person's own environment: their global git settings for reaching hosts (credential helpers, insteadOf). */
  readonly userEnv?: Readonly<Record<string, string | undefined>>;
  readonly branch?: string;
  /** A policy-admin initialising a repository without .shiftgate/policy.yaml (signed root of trust, pushed). */
  readonly initPolicy?: PolicyAdmin;
  /** The trust root the person confirmed after seeing it; absent: only look and report it. */
  readonly trustRoot?: string;
}

type ConnectOutcome =
  | { readonly status: "confirm"; readonly probe: GitopsConnectProbe }
  | { readonly status: "restart"; readonly probe: GitopsConnectProbe }
  | { readonly status: "connected"; readonly probe: GitopsConnectProbe; readonly archived: string | null };

/** A confirmed clone waiting for the next start, when a running app connected (its register is open). */
export function pendingConnection(dataDir: string): string {
  return join(dataDir, "gitops.connect-pending");
}

/**
 * Run by a composition root before it opens the register: a connection confirmed in the running app takes over now
 * (the old repository and register archived). Returns the archive folder, or null when nothing was pending.
 */
export async function applyPendingConnection(dataDir: string, clock: Clock): Promise<string | null> {
  const pending = pendingConnection(dataDir);
  if (!existsSync(join(pending, "connection.json"))) return null;
  return (await install(dataDir, pending, clock)) ?? join(dataDir, "archive");
}

const STAGING = "gitops.connect-";
// Long enough for a large repository over a slow VPN, short enough that a host that never answers frees the door.
const CLONE_TIMEOUT_MS = 10 * 60_000;

/**
 * Connects the data folder to a plant's GitOps repository: clones it into a staging folder beside `gitops`, checks
 * it (branch, full history, .shiftgate/policy.yaml, one trust root) and reports the trust root. Only when the
 * caller passes the trust root the person confirmed does it install: the old `gitops` folder and register move to
 * `archive/` (one ledger per register, never mixed) and the clone takes their place. Any failure removes the
 * staging folder, so the data folder is exactly as before. The register must not be open (the CLI connects before
 * it opens the core).
 */
export async function connectRepository(
  dataDir: string,
  request: ConnectRequest,
  ctx: GitContext,
  clock: Clock,
  options: { readonly defer?: boolean } = {},
): Promise<ConnectOutcome> {
  const branch = request.branch ?? "main";
  // A data folder made here for the clone is taken away again when connecting fails: nothing is left behind.
  const madeDataDir = !existsSync(dataDir);
  mkdirSync(dataDir, { recursive: true });
  clearCrashedClones(dataDir);
  let done = false;
  const staging = mkdtempSync(join(dataDir, `${STAGING}${process.pid}-`));
  try {
    const work = join(staging, "work");
    const access = request.userEnv ? await userRemoteConfig(request.userEnv) : [];
    const probe = await cloneAndCheck(
      request.url,
      branch,
      work,
      { ...ctx, config: [...(ctx.config ?? []), ...access] },
      clock,
      request.initPolicy,
    );
    // Later fetches and pushes run with git's global settings shut out; the working copy keeps the ones that reach
    // the host in its own config, so a credential helper that worked for the clone works for every push.
    for (const setting of access) {
      const at = setting.indexOf("=");
      await git(ctx, work, ["config", "--add", setting.slice(0, at), setting.slice(at + 1)]);
    }
    if (!request.trustRoot) return { status: "confirm", probe };
    if (request.trustRoot !== probe.trustRoot)
      throw connectError("trust-root-mismatch", request.url, { confirmed: request.trustRoot, found: probe.trustRoot });
    const connection: Connection = {
      url: request.url,
      branch,
      trustRoot: probe.trustRoot,
      connectedAt: clock.now().toISOString(),
    };
    writeFileSync(join(staging, "connection.json"), `${JSON.stringify(connection, null, 2)}\n`);
    if (options.defer) {
      const pending = pendingConnection(dataDir);
      rmSync(pending, { recursive: true, force: true });
      renameSync(staging, pending);
      done = true;
      return { status: "restart", probe };
    }
    const archived = await install(dataDir, staging, clock);
    done = true;
    return { status: "connected", probe, archived };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    if (!done && madeDataDir && readdirSync(dataDir).length === 0) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function cloneAndCheck(
  url: string,
  branch: string,
  work: string,
  ctx: GitContext,
  clock: Clock,
  admin?: PolicyAdmin,
): Promise<GitopsConnectProbe> {
  // `--` keeps a URL from being read as an option; ext:: would run a command of the URL's choosing.
  const clone = (withBranch: boolean) =>
    gitRaw(ctx, join(work, ".."), ["clone", "--quiet", ...(withBranch ? ["--branch", branch] : []), "--", url, work], {
      config: ["protocol.ext.allow=never"],
      timeoutMs: CLONE_TIMEOUT_MS,
    });
  let cloned = await clone(true);
  let stderr = cloned.stderr.toString("utf8");
  // An empty repository has no branch at all: a policy-admin may initialise it.
  if (cloned.code !== 0 && admin && classifyCloneFailure(stderr) === "branch-missing") {
    rmSync(work, { recursive: true, force: true });
    cloned = await clone(false);
    stderr = cloned.stderr.toString("utf8");
    const tip = await gitRaw(ctx, work, ["rev-parse", "--verify", "--quiet", "HEAD"]).catch(() => null);
    if (cloned.code === 0 && tip?.code === 0) throw connectError("branch-missing", url, { branch });
  }
  if (cloned.code !== 0) throw connectError(classifyCloneFailure(stderr), url, { branch, git: lastLine(stderr) });
  const repo = { dir: work, ctx };
  if ((await git(ctx, work, ["rev-parse", "--is-shallow-repository"])).stdout.trim() === "true")
    throw connectError("shallow-clone", url, { branch });
  const promisor = await git(
    ctx,
    work,
    ["config", "--get-regexp", "^(remote\\..*\\.promisor|extensions\\.partialclone)"],
    {
      okCodes: [1],
    },
  );
  if (promisor.stdout.trim()) throw connectError("partial-clone", url, { branch });
  const hasPolicy = async () =>
    (await git(ctx, work, ["cat-file", "-e", "HEAD:.shiftgate/policy.yaml"], { okCodes: [1, 128] })).code === 0;
  if (admin) {
    if (await hasPolicy())
      throw new AppError(
        "conflict",
        `The repository at ${url} already has a .shiftgate/policy.yaml; connect without --init-policy.`,
        { reason: "policy-exists", url },
      );
    await initialisePolicy(work, branch, admin, ctx, clock);
  }
  const head = await git(ctx, work, ["rev-parse", "--verify", "--quiet", "HEAD"], { okCodes: [1, 128] });
  if (head.code !== 0 || !(await hasPolicy())) throw connectError("no-policy", url, { branch });
  const trustRoot = await pinTrustRoot(repo);
  if (!trustRoot) throw connectError("no-trust-root", url, { branch });
  const committed = await git(ctx, work, ["cat-file", "blob", "HEAD:.shiftgate/trust-root"], { okCodes: [128] });
  const verdict = await verifyRepo({ repo: work, now: clock.now(), trustRoot, ctx });
  const changes = await git(ctx, work, ["ls-tree", "-d", "--name-only", "HEAD", "changes/"], { okCodes: [128] });
  return {
    url,
    branch,
    head: head.stdout.trim(),
    trustRoot,
    trustRootSource:
      committed.code === 0 && committed.stdout.trim().startsWith(trustRoot) ? "committed" : "first-commit",
    changes: changes.stdout.split("\n").filter(Boolean).length,
    findings: verdict.findings.length,
  };
}

// Moves the current repository and register into archive/<identity>-<time>/ and the staged clone into place. Each
// step is a rename in one folder, and the moves are undone in reverse when a later one fails.
async function install(dataDir: string, staging: string, clock: Clock): Promise<string | null> {
  const target = gitopsFolder(dataDir);
  const register = dataPaths(dataDir).register;
  const moves: (readonly [string, string])[] = [];
  const old = [target, register, `${register}-wal`, `${register}-shm`].filter((p) => existsSync(p));
  let archived: string | null = null;
  try {
    if (old.length > 0) {
      archived = join(dataDir, "archive", `${await identityOf(dataDir)}-${clock.now().getTime()}`);
      mkdirSync(archived, { recursive: true });
      for (const from of old) {
        const to = join(archived, from === target ? "gitops" : (from.split(/[\\/]/).pop() as string));
        renameSync(from, to);
        moves.push([from, to]);
      }
    }
    renameSync(staging, target);
  } catch (error) {
    for (const [from, to] of moves.reverse()) renameSync(to, from);
    throw new AppError(
      "storage",
      `Could not put the connected repository in place; nothing was changed (${String(error)}).`,
    );
  }
  return archived;
}

// The old repository's identity is its pinned trust root: two registers of one repository share a prefix.
async function identityOf(dataDir: string): Promise<string> {
  const work = dataPaths(dataDir).gitopsWorkingCopy;
  if (!existsSync(join(work, ".git"))) return "no-repository";
  const pin = await pinnedTrustRoot({
    dir: work,
    ctx: { env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" } },
  }).catch(() => undefined);
  return pin ? pin.slice(0, 12) : "unpinned";
}

/** The person's global git settings that decide how a host is reached, as `key=value` for `-c`. */
async function userRemoteConfig(env: Readonly<Record<string, string | undefined>>): Promise<string[]> {
  const out = await gitRaw({ env }, env.HOME ?? ".", [
    "config",
    "--global",
    "--get-regexp",
    "^(credential\\..*|url\\..*\\.insteadof|http\\..*|core\\.sshcommand)$",
  ]).catch(() => null);
  if (out?.code !== 0) return [];
  return out.stdout
    .toString("utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf(" ");
      return at < 0 ? `${line}=` : `${line.slice(0, at)}=${line.slice(at + 1)}`;
    });
}

// A clone whose process is gone (killed mid-clone) only ever held a repository nobody confirmed.
function clearCrashedClones(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    const pid = /^gitops\.connect-(\d+)-/.exec(name)?.[1];
    if (pid && !isAlive(Number(pid))) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
}

function lastLine(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("hint:") && !l.startsWith("warning:"));
  return lines.slice(-2).join(" ").slice(0, 300) || "no message from git";
}
