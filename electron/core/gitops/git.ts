import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { translateGitFailure } from "./git-errors";

/** How git is run: the environment (PATH, HOME, GIT_CONFIG_GLOBAL, GNUPGHOME…) and `-c` settings for every call. */
export interface GitContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly config?: readonly string[];
}

/** What one git process printed. */
interface GitOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

interface GitCallOptions {
  readonly input?: string | Buffer;
  /** Exit codes that are answers, not failures (e.g. 1 for `diff --quiet`). */
  readonly okCodes?: readonly number[];
  /** Extra `-c key=value` settings for this call (signing). */
  readonly config?: readonly string[];
  /** Extra environment for this call (askpass, GNUPGHOME). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** What the caller was doing, for the error message ("push to the GitOps remote"). */
  readonly doing?: string;
  /** Stops git after this long (a host that never answers must not hold a door); the result then has code -1. */
  readonly timeoutMs?: number;
}

/**
 * The one entry point to git (as in GitHub Desktop): we spawn git directly rather than through simple-git because
 * we need stdin (commit messages, cat-file), per-call `-c` signing settings and GIT_* variables, all of which
 * simple-git refuses or strips by default; every failure leaves here as an AppError a plant manager can act on.
 * The design card chose simple-git; test/bench/git-entry.bench.ts measures sign+commit+push through it beside
 * this entry (simple-git waits 50 ms after every command that prints nothing, as `add`, `commit --quiet` and
 * `push --quiet` do), which is why this entry stays.
 */
export async function git(
  ctx: GitContext,
  cwd: string,
  args: readonly string[],
  options: GitCallOptions = {},
): Promise<GitOutput> {
  const out = await gitRaw(ctx, cwd, args, options);
  const ok = out.code === 0 || (options.okCodes ?? []).includes(out.code);
  if (!ok) {
    const stdout = out.stdout.toString("utf8");
    const stderr = out.stderr.toString("utf8");
    throw translateGitFailure({ args, stderr, stdout, code: out.code, doing: options.doing });
  }
  return { stdout: out.stdout.toString("utf8"), stderr: out.stderr.toString("utf8"), code: out.code };
}

/** Runs git and returns raw bytes (blobs, commit objects) whatever the exit code. */
export function gitRaw(
  ctx: GitContext,
  cwd: string,
  args: readonly string[],
  options: GitCallOptions = {},
): Promise<{ readonly stdout: Buffer; readonly stderr: Buffer; readonly code: number }> {
  return new Promise((resolve, reject) => {
    const child = gitProcess(ctx, cwd, args, options);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => stdout.push(b));
    child.stderr.on("data", (b: Buffer) => stderr.push(b));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            stderr.push(
              Buffer.from(`\nfatal: no answer within ${Math.round((options.timeoutMs ?? 0) / 1000)} s (timed out)\n`),
            );
            child.kill("SIGTERM");
          }, options.timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      resolve({ stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), code: code ?? -1 });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

/**
 * Starts one git process with the context's environment and settings, its pipes open: for a long-lived reader
 * (`cat-file --batch`) that streams many answers. Everything else calls `git` or `gitRaw`. The only place in the
 * app that spawns git (the architecture test holds it to that).
 */
export function gitProcess(
  ctx: GitContext,
  cwd: string,
  args: readonly string[],
  options: Pick<GitCallOptions, "config" | "env"> = {},
): ChildProcessWithoutNullStreams {
  const config = [...(ctx.config ?? []), ...(options.config ?? [])].flatMap((c) => ["-c", c]);
  return spawn("git", [...config, ...args], {
    cwd,
    env: { ...cleanEnv(ctx.env), ...cleanEnv(options.env ?? {}), GIT_TERMINAL_PROMPT: "0" },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

function cleanEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/** A git context for tests, CI and the demo: no system or global config, so the machine's settings cannot leak in. */
export function isolatedGitContext(env: Readonly<Record<string, string | undefined>> = process.env): GitContext {
  return {
    env: {
      PATH: env.PATH,
      HOME: env.HOME,
      TMPDIR: env.TMPDIR,
      // Agents stay reachable: signing through ssh-agent or gpg-agent is how people avoid key files.
      SSH_AUTH_SOCK: env.SSH_AUTH_SOCK,
      // How the person reaches their Git host, as for their own `git clone`: ssh command (known_hosts, key),
      // askpass programs for passphrases and HTTPS tokens.
      ...pick(env, REMOTE_ACCESS_VARIABLES),
      LANG: "C",
      LC_ALL: "C",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
    },
    config: ["init.defaultBranch=main", "core.autocrlf=false", "advice.detachedHead=false"],
  };
}

/** The environment that decides how git reaches a remote; passed through so fetch and push work as `git clone` does. */
const REMOTE_ACCESS_VARIABLES = [
  "GIT_SSH_COMMAND",
  "GIT_SSH",
  "GIT_SSH_VARIANT",
  "GIT_ASKPASS",
  "SSH_ASKPASS",
  "SSH_ASKPASS_REQUIRE",
  "DISPLAY",
] as const;

function pick(env: Readonly<Record<string, string | undefined>>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = env[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
