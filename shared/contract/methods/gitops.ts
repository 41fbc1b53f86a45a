import { z } from "zod";
import type { Policy, PolicyProblem } from "../../domain/policy/index";
import { method } from "../define";

/** One verify finding (specs/gitops-repo.md). */
export interface GitopsFinding {
  readonly commit: string;
  readonly change: string | null;
  readonly kind: string;
  readonly severity: "error" | "warning";
  readonly message: string;
}

/** What `gitops.verify` returns: exactly the `shiftgate gitops verify --json` document. */
export interface GitopsVerifyResult {
  readonly ok: boolean;
  readonly checked: number;
  readonly findings: readonly GitopsFinding[];
}

/** The policy in the working copy, with the defects `policy check` finds in it. */
export interface GitopsPolicyView {
  readonly policy: Policy;
  readonly problems: readonly PolicyProblem[];
}

/** What `gitops.createDemo` built. */
export interface GitopsDemoResult {
  readonly remote: string;
  readonly workingCopy: string;
  readonly changes: readonly { readonly id: string; readonly state: string }[];
}

/** One commit in the outbox: what home lists (sha, subject, changeId) plus where it stands. */
export interface GitopsOutboxItem {
  readonly id: string;
  readonly sha: string | null;
  readonly subject: string;
  /** The register's change id, when the change is in this register. */
  readonly changeId: string | null;
  /** CHG-<year>-<n>. */
  readonly change: string | null;
  readonly kind: "submission" | "approval" | "rejection" | "exception" | "review" | "release";
  readonly state: "pending" | "committed" | "pushed" | "abandoned";
  readonly signer: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly nextAttemptAt: string | null;
  readonly pushedAt: string | null;
}

/** `gitops.outbox`: items not yet on the remote (oldest first), and the latest that are (newest first). */
export interface GitopsOutboxView {
  readonly configured: boolean;
  readonly items: readonly GitopsOutboxItem[];
  readonly recent: readonly GitopsOutboxItem[];
}

/** What one push round did (`gitops.push`). */
export interface GitopsPushResult {
  readonly pushed: number;
  readonly pending: number;
  readonly error: { readonly code: string; readonly message: string; readonly reason: string | null } | null;
}

/** The `gitops.*` methods of the contract. */
export const gitopsMethods = {
  "gitops.verify": method<GitopsVerifyResult>()({
    input: z
      .object({
        rev: z.string().min(1).optional(),
        now: z.iso.datetime({ offset: true }).optional(),
        trustRoot: z.string().min(1).optional(),
      })
      .strict(),
    mutates: false,
  }),
  "gitops.policy": method<GitopsPolicyView>()({ input: z.object({}).strict(), mutates: false }),
  "gitops.createDemo": method<GitopsDemoResult>()({
    input: z.object({ replace: z.boolean().default(false) }).strict(),
    mutates: false,
  }),
  "gitops.outbox": method<GitopsOutboxView>()({ input: z.object({}).strict(), mutates: false }),
  // The passphrase re-signs a commit whose signing failed or must be replayed after another laptop pushed.
  "gitops.push": method<GitopsPushResult>()({
    input: z.object({ passphrase: z.string().optional() }).strict(),
    mutates: false,
  }),
} as const;
