import { fluxKeys, fluxKeysDrift, readFluxSecret } from "../flux";
import { type GitContext, git } from "../git";
import { type Finding, finding } from "./findings";
import type { ObjectReader } from "./object-reader";
import type { FileState } from "./policy-state";

/**
 * `flux-keys-drift` on the tip: a committed Flux verification Secret (marked by `shiftgate gitops flux`) that no
 * longer holds exactly the keys `.shiftgate/` trusts at the tip. Flux would then refuse a new signer's commits, or
 * still deploy those of someone removed from allowed_signers.
 */
export async function fluxDriftFindings(
  ctx: GitContext,
  repo: string,
  tip: string,
  files: FileState,
  blob: (sha: string) => Buffer | null,
  reader: ObjectReader,
): Promise<Finding[]> {
  const grep = await git(
    ctx,
    repo,
    ["grep", "-l", "-F", "-e", "shiftgate.io/flux-verify-keys", tip, "--", "*.yaml", "*.yml"],
    {
      okCodes: [1],
      doing: "look for Flux key Secrets",
    },
  );
  const paths = grep.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => l.slice(tip.length + 1))
    .filter((p) => !p.startsWith(".shiftgate/") && !p.startsWith("changes/"));
  if (paths.length === 0) return [];
  const text = (path: string) => {
    const e = files.shiftgate.get(path);
    return e && !e.discarded ? (blob(e.blob)?.toString("utf8") ?? null) : null;
  };
  const asc = new Map<string, string>();
  for (const path of files.shiftgate.keys()) {
    const m = /^\.shiftgate\/keys\/(.+)\.asc$/.exec(path);
    const t = m?.[1] ? text(path) : null;
    if (m?.[1] && t !== null) asc.set(m[1], t);
  }
  const wanted = fluxKeys(text(".shiftgate/allowed_signers"), asc);
  const out: Finding[] = [];
  const blobs = await reader.readMany(paths.map((p) => `${tip}:${p}`));
  paths.forEach((path, i) => {
    const committed = readFluxSecret(blobs[i]?.toString("utf8") ?? "");
    if (!committed) return;
    const drift = fluxKeysDrift(committed, wanted);
    if (drift.length === 0) return;
    out.push(
      finding(
        tip,
        null,
        "flux-keys-drift",
        `The Flux verification keys in ${path} differ from .shiftgate/ (${drift.join("; ")}): Flux trusts other signers than the policy. Run \`shiftgate gitops flux\` again and commit the Secret it writes.`,
      ),
    );
  });
  return out;
}
