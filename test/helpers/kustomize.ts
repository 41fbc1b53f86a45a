import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** What `kubectl kustomize <dir>` builds (the real consumer of the overlays); throws with kubectl's own error. */
export function kustomizeBuild(repoDir: string, overlay: string): string {
  return execFileSync("kubectl", ["kustomize", join(repoDir, overlay)], { encoding: "utf8", stdio: "pipe" });
}

/** The container images a kustomize build renders, in order. */
export function renderedImages(built: string): string[] {
  return [...built.matchAll(/^\s*(?:- )?image: (\S+)$/gm)].map((m) => m[1] as string);
}
