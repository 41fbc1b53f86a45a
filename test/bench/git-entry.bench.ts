import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { simpleGit } from "simple-git";
import { git, isolatedGitContext } from "../../electron/core/gitops/git";
import { generateSshKey } from "../../electron/core/gitops/keys";
import { tempDir } from "../helpers/temp";
import { type BenchRun, lowerIsBetter, median } from "./harness";

const exec = promisify(execFile);

/** Runs git with args in a working copy; each way of running it below implements this. */
type Runner = (args: readonly string[]) => Promise<unknown>;

/**
 * Issue #20 item 10: sign + commit + push one file through the app's own git entry (electron/core/gitops/git.ts)
 * and through simple-git (the design card's choice), each beside plain `git` commands in the same run. Every way
 * runs the same four commands with the same settings; the runs are interleaved so load hits them alike. The card
 * said: simple-git, unless it costs more than 10% on this; the figures below decide.
 */
export const run: BenchRun = async (report) => {
  const { dir, cleanup } = tempDir("shiftgate-bench-git-entry-");
  try {
    const ctx = isolatedGitContext();
    const env = Object.fromEntries(Object.entries(ctx.env).filter((e): e is [string, string] => e[1] !== undefined));
    const key = await generateSshKey(join(dir, "keys"), "raj.patel@plant.example");
    const settings = [
      ...(ctx.config ?? []),
      "user.name=Raj Patel",
      "user.email=raj.patel@plant.example",
      "gpg.format=ssh",
      `user.signingkey=${key.privateKey}`,
    ];
    const clone = async (name: string): Promise<string> => {
      const remote = join(dir, `${name}.git`);
      const work = join(dir, name);
      await exec("git", ["init", "--quiet", "--bare", "--initial-branch=main", remote], { env });
      await exec("git", ["clone", "--quiet", remote, work], { env });
      writeFileSync(join(work, "seed"), "seed\n");
      await exec("git", ["-C", work, "add", "seed"], { env });
      await exec("git", ["-C", work, ...settings.flatMap((c) => ["-c", c]), "commit", "--quiet", "-m", "seed"], {
        env,
      });
      await exec("git", ["-C", work, "push", "--quiet", "origin", "HEAD:refs/heads/main"], { env });
      return work;
    };
    const plainDir = await clone("plain");
    const entryDir = await clone("entry");
    const simpleDir = await clone("simple");
    const plain: Runner = (args) =>
      exec("git", ["-C", plainDir, ...settings.flatMap((c) => ["-c", c]), ...args], { env });
    const entry: Runner = (args) => git(ctx, entryDir, args, { config: settings.slice((ctx.config ?? []).length) });
    const sg = simpleGit({
      baseDir: simpleDir,
      config: settings,
      // simple-git strips or refuses GIT_* variables unless allowed; these are the isolated context's own.
      allowEnvironment: Object.keys(env).filter((k) => k.startsWith("GIT_")),
      // …and refuses GIT_CONFIG_GLOBAL (how the app keeps a person's own git settings out) unless told it is safe.
      unsafe: { allowUnsafeConfigPaths: true },
    } as Parameters<typeof simpleGit>[0]).env(env);
    const simple: Runner = (args) => sg.raw([...args]);

    let n = 0;
    const once = async (work: string, runner: Runner) => {
      const name = `approval-${++n}.yaml`;
      writeFileSync(join(work, name), `decision: approved\nn: ${n}\n`);
      const start = performance.now();
      await runner(["add", "--", name]);
      await runner(["commit", "-S", "--quiet", "-m", `Approve ${n}`]);
      await runner(["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
      return performance.now() - start;
    };
    const times = { plain: [] as number[], entry: [] as number[], simple: [] as number[] };
    for (let i = 0; i < 23; i++) {
      const p = await once(plainDir, plain);
      const e = await once(entryDir, entry);
      const s = await once(simpleDir, simple);
      if (i < 3) continue;
      times.plain.push(p);
      times.entry.push(e);
      times.simple.push(s);
    }
    const [p, e, s] = [median(times.plain), median(times.entry), median(times.simple)];
    report(lowerIsBetter("git entry (gitops/git.ts): sign+commit+push vs plain git", e, "ms", p));
    report(lowerIsBetter("simple-git: the same sign+commit+push vs plain git", s, "ms", p));
    report(lowerIsBetter("simple-git vs the app's git entry (card: simple-git unless > 1.1x)", s, "ms", e, "≤ 1.1x"));
  } finally {
    cleanup();
  }
};
