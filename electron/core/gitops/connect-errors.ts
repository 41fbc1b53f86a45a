import { AppError } from "../../../shared/contract/errors";

/** Why connecting to a plant's repository failed, each with its own words (issue #17 item 1). */
type ConnectFailure =
  | "host-key-unknown"
  | "host-key-changed"
  | "auth-refused"
  | "branch-missing"
  | "remote-unreachable"
  | "no-policy"
  | "shallow-clone"
  | "partial-clone"
  | "no-trust-root"
  | "trust-root-mismatch";

// Ordered: the host key is checked before authentication, authentication before the repository is looked at.
const RULES: readonly { readonly test: RegExp; readonly reason: ConnectFailure }[] = [
  { test: /REMOTE HOST IDENTIFICATION HAS CHANGED|host key for .* has changed/i, reason: "host-key-changed" },
  { test: /Host key verification failed|No .* host key is known|host key is not known/i, reason: "host-key-unknown" },
  {
    test: /Permission denied \(|Authentication failed|could not read (Username|Password)|terminal prompts disabled|HTTP (Basic: )?Access denied|returned error: 40[13]/i,
    reason: "auth-refused",
  },
  { test: /Remote branch .* not found in upstream|couldn't find remote ref/i, reason: "branch-missing" },
];

/** Classifies a failed clone's stderr; unreachable is the rest (no host, refused port, no repository there). */
export function classifyCloneFailure(stderr: string): ConnectFailure {
  return RULES.find((r) => r.test.test(stderr))?.reason ?? "remote-unreachable";
}

/** The AppError for one connect failure, in words a plant manager can act on. */
export function connectError(reason: ConnectFailure, url: string, extra: Record<string, unknown> = {}): AppError {
  const git = typeof extra.git === "string" ? ` (git said: ${extra.git})` : "";
  const branch = typeof extra.branch === "string" ? extra.branch : "main";
  const details = { reason, url, ...extra };
  switch (reason) {
    case "host-key-unknown":
      return new AppError(
        "git-remote",
        `This laptop does not know the Git host's key for ${url}, so it did not connect. Check the key's fingerprint with your Git administrator, then add it (for example by running 'ssh -T' to the host once, or with ssh-keyscan into known_hosts) and connect again.`,
        details,
      );
    case "host-key-changed":
      return new AppError(
        "git-remote",
        `The Git host's key for ${url} is not the one this laptop knows: someone may be impersonating the host. Do not connect; ask your Git administrator whether the host key was changed.`,
        details,
      );
    case "auth-refused":
      return new AppError(
        "git-remote",
        `The Git host refused your credentials for ${url}${git}. Check that your SSH key is loaded (ssh-agent) and registered on the host, or that your Git credential helper holds a valid token, then connect again.`,
        details,
      );
    case "branch-missing":
      return new AppError(
        "not-found",
        `The repository at ${url} has no branch '${branch}'. Ask your Git administrator which branch Argo CD or Flux deploys from and connect with that branch.`,
        details,
      );
    case "remote-unreachable":
      return new AppError(
        "git-remote",
        `Cannot reach a Git repository at ${url}${git}. Check the address, that this laptop is on the plant network (or VPN), and that the repository exists.`,
        details,
      );
    case "no-policy":
      return new AppError(
        "not-found",
        `The repository at ${url} (branch '${branch}') has no .shiftgate/policy.yaml, so it is not a Shiftgate GitOps repository yet. A policy-admin can initialise one: run 'shiftgate gitops connect --url ${url} --branch ${branch} --init-policy --key <their SSH key> --name <name> --email <e-mail>'.`,
        details,
      );
    case "shallow-clone":
      return new AppError(
        "git",
        `The repository at ${url} gives only part of its history (a shallow copy), so the approvals cannot be checked back to their trust root. Connect to the full repository (the Git host's address, not a shallow mirror).`,
        details,
      );
    case "partial-clone":
      return new AppError(
        "git",
        `The copy of ${url} would be partial (files left on the server), so signatures and evidence cannot be checked offline. Connect without a clone filter.`,
        details,
      );
    case "no-trust-root":
      return new AppError(
        "git",
        `The repository at ${url} has several first commits and no .shiftgate/trust-root naming one, so Shiftgate cannot tell which history to trust. Ask your policy-admin to commit .shiftgate/trust-root.`,
        details,
      );
    case "trust-root-mismatch":
      return new AppError(
        "conflict",
        `The repository at ${url} starts from trust root ${String(extra.found).slice(0, 12)}, not the ${String(extra.confirmed).slice(0, 12)} you confirmed. Nothing was connected; check with your Git administrator before you confirm the new one.`,
        details,
      );
  }
}
