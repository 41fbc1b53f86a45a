import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { commitFiles, digestOf, messageWithTrailers } from "../../electron/core/gitops/commit";
import { demoPolicy } from "../../electron/core/gitops/demo-policy";
import { isolatedGitContext } from "../../electron/core/gitops/git";
import { generateSshKey } from "../../electron/core/gitops/keys";
import { pushBranch } from "../../electron/core/gitops/repo";
import type { Signer } from "../../electron/core/gitops/signing";
import { verifyRepo } from "../../electron/core/gitops/verify/verify";
import { approvalPath, writeApproval } from "../../shared/domain/policy/index";
import { testChange } from "../helpers/gitops-world";
import { recordDecision, setupGitopsRepo } from "../helpers/ledger-writes";
import { tempDir } from "../helpers/temp";
import { generateHistory } from "./gitops-history";
import { type BenchRun, lowerIsBetter, median } from "./harness";

const exec = promisify(execFile);
const ID = "CHG-2026-0001";

/** One approval signed, committed and pushed: through the library vs the same steps as plain git commands. */
async function approvalBench(dir: string): Promise<{ lib: number; plain: number }> {
  const ctx = isolatedGitContext();
  const env = Object.fromEntries(Object.entries(ctx.env).filter((e): e is [string, string] => e[1] !== undefined));
  const key = await generateSshKey(join(dir, "keys"), "raj.patel@plant.example");
  const raj: Signer = {
    name: "Raj Patel",
    email: "raj.patel@plant.example",
    key: { format: "ssh", keyFile: key.privateKey },
  };
  const change = `${JSON.stringify(testChange(ID))}\n`;
  const repos = [];
  for (const name of ["lib", "plain"]) {
    const remote = join(dir, `${name}.git`);
    await exec("git", ["init", "--quiet", "--bare", "--initial-branch=main", remote], { env });
    const repo = await setupGitopsRepo({ source: remote, dir: join(dir, name), ctx });
    await commitFiles(
      repo,
      raj,
      [
        { path: ".shiftgate/policy.yaml", content: JSON.stringify(demoPolicy()) },
        { path: `changes/${ID}/change.yaml`, content: change },
      ],
      "seed\n",
    );
    await pushBranch(repo);
    repos.push(repo);
  }
  const [libRepo, plainRepo] = repos as [(typeof repos)[0], (typeof repos)[0]];
  let n = 0;
  const signedAt = () => new Date(Date.UTC(2026, 11, 1, 9, 0, ++n)).toISOString();
  const viaLibrary = async () => {
    await recordDecision(libRepo, raj, {
      change: ID,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
      role: "cab-member",
      signedAt: signedAt(),
    });
    await pushBranch(libRepo);
  };
  const g = (args: string[], input?: string) => {
    const child = exec("git", ["-C", plainRepo.dir, ...args], { env });
    if (input !== undefined) child.child.stdin?.end(input);
    return child;
  };
  const path = approvalPath(ID, raj.email, "deploy");
  const viaPlainGit = async () => {
    const content = writeApproval({
      change: ID,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
      signer: { name: raj.name, email: raj.email, role: "cab-member" },
      signedAt: signedAt(),
      changeDigest: digestOf(change),
    });
    writeFileSync(join(plainRepo.dir, path), content);
    await g(["add", "--", path]);
    await g(
      [
        "-c",
        `user.name=${raj.name}`,
        "-c",
        `user.email=${raj.email}`,
        "-c",
        "gpg.format=ssh",
        "-c",
        `user.signingkey=${key.privateKey}`,
        "commit",
        "-S",
        "--quiet",
        "-F",
        "-",
      ],
      messageWithTrailers(`Approve ${ID} (deploy)`, [
        ["Change-Request", ID],
        ["Approval-Scope", "deploy"],
        ["Approved-by", `${raj.name} <${raj.email}>`],
      ]),
    );
    await g(["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
  };
  mkdirSync(join(plainRepo.dir, "changes", ID, "approvals"), { recursive: true });
  // Interleaved, so load on the machine hits both sides alike.
  const lib: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < 25; i++) {
    for (const [fn, out] of [
      [viaLibrary, lib],
      [viaPlainGit, plain],
    ] as const) {
      const start = performance.now();
      await fn();
      if (i >= 3) out.push(performance.now() - start);
    }
  }
  return { lib: median(lib), plain: median(plain) };
}

/** `gitops verify` over a generated 10,000-commit history with 1,000 changes, beside a plain `git log` of it. */
async function verifyBench(dir: string): Promise<{ verify: number; gitLog: number; checked: number; commits: number }> {
  const repo = join(dir, "history.git");
  const { commits } = generateHistory(repo, 1000, 5);
  const ctx = isolatedGitContext();
  const env = Object.fromEntries(Object.entries(ctx.env).filter((e): e is [string, string] => e[1] !== undefined));
  const gitLog = async () => {
    const start = performance.now();
    await exec("git", ["-C", repo, "log", "--raw", "--no-abbrev", "--format=%H %P %ce %cI%n%(trailers)"], {
      env,
      maxBuffer: 1 << 30,
    }).catch(() => undefined);
    return performance.now() - start;
  };
  // Pinned as CI runs it (--trust-root): the generated history commits no .shiftgate/trust-root.
  const trustRoot = (await exec("git", ["-C", repo, "rev-list", "--max-parents=0", "HEAD"], { env })).stdout.trim();
  const verify = async () => {
    const start = performance.now();
    const result = await verifyRepo({ repo, now: new Date("2027-01-01T00:00:00Z"), trustRoot, ctx });
    if (!result.ok) throw new Error(`generated history should verify clean: ${JSON.stringify(result.findings[0])}`);
    return { ms: performance.now() - start, checked: result.checked };
  };
  const runs = [await verify(), await verify(), await verify()];
  // The baseline reads the same history without %G?: git runs one ssh-keygen per signed commit for %G?
  // (~10 ms each), which is why verify checks SSH signatures in-process.
  const gitLogs = [await gitLog(), await gitLog(), await gitLog()];
  return { verify: median(runs.map((r) => r.ms)), gitLog: median(gitLogs), checked: runs[0]?.checked ?? 0, commits };
}

/** The GitOps benchmarks (issue 6). */
export const run: BenchRun = async (report) => {
  const { dir, cleanup } = tempDir("shiftgate-bench-gitops-");
  try {
    const a = await approvalBench(dir);
    report(lowerIsBetter("gitops: sign+commit+push one approval (vs plain git)", a.lib, "ms", a.plain, "<= 1.5x"));
    const v = await verifyBench(dir);
    report(
      lowerIsBetter(
        `gitops verify: ${v.commits} commits, 1000 changes, ${v.checked} judged (vs git log --raw)`,
        v.verify,
        "ms",
        v.gitLog,
        "< 10000 ms",
      ),
    );
  } finally {
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
};
