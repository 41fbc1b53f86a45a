/** The @kubernetes/client-node module. */
export type KubeLib = typeof import("@kubernetes/client-node");

let pending: Promise<KubeLib> | null = null;

/**
 * Loads @kubernetes/client-node on first use. Its thousands of generated models take a second or more to load;
 * importing it statically would slow every CLI command and the app's start, even when no cluster is configured.
 */
export function kubeLib(): Promise<KubeLib> {
  pending ??= import("@kubernetes/client-node");
  return pending;
}
