import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Issue #20 item 10: git runs through ONE entry (electron/core/gitops/git.ts: `git`, `gitRaw`, `gitProcess`), where
// its failures become typed AppErrors. No other file under electron/ may start git by itself, through
// child_process or through simple-git.

const root = fileURLToPath(new URL("../..", import.meta.url));
const ENTRY = "electron/core/gitops/git.ts";

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    const path = join(root, dir, entry);
    if (statSync(path).isDirectory()) out.push(...sources(relative(root, path)));
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry)) out.push(relative(root, path));
  }
  return out;
}

/** Why a source starts git by itself, or null. */
function ownGitSpawn(text: string): string | null {
  if (/from\s+["']simple-git["']|require\(\s*["']simple-git["']\s*\)|import\(\s*["']simple-git["']\s*\)/.test(text))
    return "imports simple-git";
  const call =
    /\b(spawn|spawnSync|execFile|execFileSync|exec|execSync|fork)\s*\(\s*(["'`])(?:[^"'`]*\/)?git(?:\.exe)?\2/.exec(
      text,
    );
  return call ? `calls ${call[1]}("git", …)` : null;
}

describe("one git entry", () => {
  it("no file under electron/ but gitops/git.ts spawns git or imports simple-git", () => {
    const offenders = sources("electron")
      .filter((f) => f !== ENTRY)
      .flatMap((f) => {
        const why = ownGitSpawn(readFileSync(join(root, f), "utf8"));
        return why ? [`${f}: ${why}`] : [];
      });
    expect(offenders).toEqual([]);
  });

  it("recognises each way of starting git by itself", () => {
    expect(ownGitSpawn('import { simpleGit } from "simple-git";')).toBe("imports simple-git");
    expect(ownGitSpawn('const child = spawn("git", ["cat-file", "--batch"]);')).toBe('calls spawn("git", …)');
    expect(ownGitSpawn("await run('git', ['log']);")).toBeNull();
    expect(ownGitSpawn("execFile('/usr/bin/git', args, cb)")).toBe('calls execFile("git", …)');
    expect(ownGitSpawn('execFile("ssh-keygen", args)')).toBeNull();
    expect(readFileSync(join(root, ENTRY), "utf8")).toMatch(/spawn\("git"/);
  });
});
