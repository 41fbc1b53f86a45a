import { existsSync } from "node:fs";
import { AppError } from "../../../../shared/contract/errors";
import { git } from "../git";
import { type Finding, finding, type VerifyResult } from "./findings";
import { type VerifyOptions, verifyRepo } from "./verify";

/** What a push brought: the branch moved from `old` to `new`, and CI saw it at `receivedAt`. */
export interface IncomingPush {
  readonly old: string;
  readonly new: string;
  readonly receivedAt: Date;
  /** How far a new commit's dates may lie from `receivedAt` (clocks drift; a push follows its commit by a moment). */
  readonly maxSkewMs: number;
}

/** The default allowed skew: 15 minutes either side of the push's arrival. */
export const DEFAULT_MAX_SKEW_MS = 15 * 60_000;

const ZERO = /^0+$/;
const RS = "\x1e";
const US = "\x1f";

/**
 * Verifies the whole history at the push's new tip, plus what only the push can tell: whether the tip descends
 * from the old one (`history-rewritten`), and whether each new commit's dates agree with when it arrived
 * (`clock-skew`). A commit whose dates disagree is judged as made when it arrived, so a backdated release is
 * judged against its window and a backdated review against its deadline at the time they really appeared.
 */
export async function verifyIncoming(
  options: Omit<VerifyOptions, "rev" | "arrivedAt">,
  push: IncomingPush,
): Promise<VerifyResult> {
  const { ctx, repo } = options;
  if (!existsSync(repo)) throw new AppError("invalid-input", `There is no repository at ${repo}.`);
  if (ZERO.test(push.old))
    throw new AppError(
      "invalid-input",
      "--incoming starts at 0000000 (a new branch): there is no earlier tip to compare with; run verify without --incoming.",
    );
  const oldSha = await resolveCommit(options, push.old);
  const newSha = await resolveCommit(options, push.new);
  const found: Finding[] = [];
  const ancestor = await git(ctx, repo, ["merge-base", "--is-ancestor", oldSha, newSha], { okCodes: [1] });
  if (ancestor.code !== 0)
    found.push(
      finding(
        newSha,
        null,
        "history-rewritten",
        `The push replaced ${oldSha.slice(0, 10)} with ${newSha.slice(0, 10)}, which does not build on it: history was rewritten (a force-push). Restore ${oldSha.slice(0, 10)} and add the new commits on top of it.`,
      ),
    );
  const log = await git(
    ctx,
    repo,
    [
      "log",
      `--format=${RS}%H${US}%aI${US}%cI${US}%(trailers:key=Change-Request,valueonly,separator=%x2C)`,
      `${oldSha}..${newSha}`,
      "--",
    ],
    { doing: "list the pushed commits" },
  );
  const arrivedAt = new Map<string, string>();
  const received = push.receivedAt.getTime();
  const when = push.receivedAt.toISOString();
  const skew = describeSkew(push.maxSkewMs);
  for (const record of log.stdout.split(RS)) {
    const [sha = "", authored = "", committed = "", change = ""] = record.trim().split(US);
    if (!sha) continue;
    const off = [
      ["committer", committed],
      ["author", authored],
    ].filter(([, date]) => Math.abs(Date.parse(date ?? "") - received) > push.maxSkewMs);
    if (off.length === 0) continue;
    arrivedAt.set(sha, when);
    found.push(
      finding(
        sha,
        change.split(",")[0]?.trim() || null,
        "clock-skew",
        `Commit ${sha.slice(0, 10)} is dated ${off.map(([who, date]) => `${date} (${who})`).join(" and ")} but reached the repository at ${when}, more than ${skew} apart; it is judged as made at ${when}. Check the clock of the laptop that made it and make the commit again.`,
      ),
    );
  }
  const full = await verifyRepo({ ...options, rev: newSha, arrivedAt });
  const findings = [...found, ...full.findings];
  return {
    ok: !findings.some((f) => f.severity === "error"),
    checked: full.checked,
    trustRoot: full.trustRoot,
    findings,
  };
}

async function resolveCommit(options: Omit<VerifyOptions, "rev" | "arrivedAt">, rev: string): Promise<string> {
  // A revision is passed to git as an argument: one that looks like an option is refused, never interpreted.
  if (rev.startsWith("-")) throw new AppError("invalid-input", `'${rev}' is not a revision.`);
  const out = await git(options.ctx, options.repo, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], {
    okCodes: [1, 128],
  });
  const sha = out.stdout.trim();
  if (!sha)
    throw new AppError(
      "invalid-input",
      `${rev} is not a commit in ${options.repo}: fetch it first (a force-pushed-over tip may need \`git fetch origin ${rev}\`).`,
    );
  return sha;
}

function describeSkew(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}
