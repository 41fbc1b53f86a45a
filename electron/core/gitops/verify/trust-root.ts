import { AppError } from "../../../../shared/contract/errors";
import { type GitContext, git } from "../git";
import { type Finding, finding, type TrustRootInfo } from "./findings";
import type { HistoryCommit } from "./history";

/** The committed pin: one line, the sha of the repository's root of trust (docs/gitops-repo.md). */
export const TRUST_ROOT_PATH = ".shiftgate/trust-root";

/** The root verify judges from, where it came from, and the findings about the pin itself. */
interface ResolvedTrustRoot {
  /** Index in the history of the commit judged as root; -1 when there is none. */
  readonly index: number;
  readonly info: TrustRootInfo;
  readonly findings: readonly Finding[];
}

/** A full commit id (SHA-1 or SHA-256). */
export const FULL_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Picks the trust root: the one given (--trust-root, or the app's connection settings), else the committed pin at
 * the tip, else the first commit adding policy.yaml with the finding `trust-root-unpinned`. A pinned root that is
 * not in the history gives `trust-root-missing` on the tip: the history was rewritten or is another repository's.
 */
export async function resolveTrustRoot(options: {
  readonly ctx: GitContext;
  readonly repo: string;
  readonly rev: string;
  readonly given: string | undefined;
  readonly committedPin: Buffer | null;
  readonly history: readonly HistoryCommit[];
}): Promise<ResolvedTrustRoot> {
  const { history, rev } = options;
  const tip = history[history.length - 1]?.sha ?? "";
  const firstPolicy = history.findIndex((c) => c.changes.some((p) => p.path === ".shiftgate/policy.yaml" && p.blob));
  const pinned = options.given ?? options.committedPin?.toString("utf8").split("\n")[0]?.trim();
  const source = options.given ? "given" : "committed";
  if (pinned === undefined) {
    if (firstPolicy < 0)
      throw new AppError(
        "invalid-input",
        `${options.repo} has no .shiftgate/policy.yaml in the history of ${rev}: not a Shiftgate GitOps repository.`,
      );
    const sha = (history[firstPolicy] as HistoryCommit).sha;
    return {
      index: firstPolicy,
      info: { commit: sha, source: "none" },
      findings: [
        finding(
          sha,
          null,
          "trust-root-unpinned",
          `No trust root is pinned, so a wholly rewritten history would verify as well; ${sha.slice(0, 10)} (the first commit adding policy.yaml) was taken. Pass --trust-root <commit> in CI, or have a policy-admin commit ${TRUST_ROOT_PATH}.`,
        ),
      ],
    };
  }
  const from = source === "given" ? `--trust-root ${pinned}` : `${TRUST_ROOT_PATH} (${pinned})`;
  const resolved =
    source === "given" || FULL_SHA.test(pinned)
      ? await git(options.ctx, options.repo, ["rev-parse", "--verify", "--quiet", `${pinned}^{commit}`], {
          okCodes: [1, 128],
        })
      : null;
  const sha = resolved?.stdout.trim() ?? "";
  const index = sha ? history.findIndex((c) => c.sha === sha) : -1;
  if (index >= 0) return { index, info: { commit: sha, source }, findings: [] };
  // Judged anyway from the first policy commit, so the report still shows what else is wrong.
  return {
    index: firstPolicy,
    info: { commit: sha || pinned, source },
    findings: [
      finding(
        tip,
        null,
        "trust-root-missing",
        `The history of ${rev} does not descend from the pinned trust root ${from}: the branch was rewritten or replaced. Do not deploy it; restore the branch from a copy you trust.`,
      ),
    ],
  };
}

/**
 * A committed pin counts only when a commit judged after the root it names wrote it (signed by a policy-admin,
 * without a finding): a pin written before its own root would let anyone move the root past their commits.
 */
export function pinWriterFinding(
  tip: string,
  root: string,
  writer: { readonly commit: string; readonly discarded: string | null } | undefined,
  judgedAfterRoot: ReadonlySet<string>,
): Finding[] {
  if (writer && writer.commit !== root && judgedAfterRoot.has(writer.commit) && !writer.discarded) return [];
  return [
    finding(
      tip,
      null,
      "trust-root-unpinned",
      `${TRUST_ROOT_PATH} names ${root.slice(0, 10)}, but it was not committed after that root by a policy-admin without findings (${writer ? `written by ${writer.commit.slice(0, 10)}` : "not tracked"}); pass --trust-root <commit> instead.`,
    ),
  ];
}

/** The trust root must hold a valid policy.yaml: without one nothing after it could be judged. */
export function rootWithoutPolicy(root: string): Finding {
  return finding(
    root,
    null,
    "trust-root-missing",
    `The trust root ${root.slice(0, 10)} holds no valid .shiftgate/policy.yaml, so nothing after it can be judged; pin the commit that adds policy.yaml.`,
  );
}
