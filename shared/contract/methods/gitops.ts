import { z } from "zod";
import type { Policy, PolicyProblem } from "../../domain/policy/index";
import { boundedText, multilineText, passphraseText } from "../bounds";
import { method } from "../define";

// An image digest as registries report it: a release by digest deploys exactly these bytes.
const imageDigest = z.string().regex(/^sha256:[0-9a-f]{64}$/, "sha256: and 64 hex digits");

/** One verify finding (docs/gitops-repo.md). */
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
  /** The root of trust judged from, and where it came from (given, committed .shiftgate/trust-root, or none). */
  readonly trustRoot: { readonly commit: string | null; readonly source: "given" | "committed" | "none" };
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
  readonly kind: "submission" | "approval" | "rejection" | "exception" | "review" | "release" | "gate";
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
interface GitopsPushResult {
  readonly pushed: number;
  readonly pending: number;
  readonly error: { readonly code: string; readonly message: string; readonly reason: string | null } | null;
}

/** One commit as the app judges it: who signed, with which key, and whether that holds. */
export interface GitopsSignedCommit {
  readonly sha: string;
  readonly subject: string;
  /** The committer (who the commit says made it). */
  readonly signer: { readonly name: string; readonly email: string };
  /** Whom the repository lists for the signing key, or null when no listed key made the signature. */
  readonly keyOwner: string | null;
  /** "SHA256:…" (SSH) or the OpenPGP fingerprint of the signing key, when there is a signature to read. */
  readonly fingerprint: string | null;
  /** Git's verdict (%G?): G good, B bad, N none, U/E/X/Y/R unknown, expired or revoked key. */
  readonly verdict: string;
  readonly verified: boolean;
  readonly committedAt: string;
  /** What `gitops verify` says about this commit. */
  readonly findings: readonly { readonly kind: string; readonly message: string }[];
}

/** `gitops.changeSignatures`: the change's signed commits, newest first. */
interface GitopsChangeSignatures {
  readonly change: string | null;
  readonly commits: readonly GitopsSignedCommit[];
}

/** `gitops.sync`: what came in (judged), what was imported into the register, what went out. */
export interface GitopsSyncResult {
  readonly head: string;
  readonly pulled: number;
  readonly commits: readonly GitopsSignedCommit[];
  /** Incoming commits whose signature does not verify: their records are shown, never counted. */
  readonly unverified: number;
  /** Changes submitted elsewhere, now in the register (CHG number and register id). */
  readonly imported: readonly { readonly number: string; readonly changeId: string }[];
  readonly skipped: readonly string[];
  readonly pushed: number;
}

/** What made a sync run: the app starting, the window gaining focus, the timer, an outbox push, or a person. */
export type GitopsSyncTrigger = "start" | "focus" | "timer" | "push" | "manual";

/** One commit on one side of a sync conflict: who made it (signer) and on which laptop (its register's id). */
export interface GitopsConflictCommit {
  readonly sha: string;
  readonly subject: string;
  readonly name: string;
  readonly email: string;
  readonly at: string;
  /** The register id of the laptop that made it (its Audit-Head trailer), when the commit names one. */
  readonly laptop: string | null;
}

/** A file both this laptop and the remote changed since they last agreed, in a way sync cannot replay. */
export interface GitopsConflictFile {
  readonly path: string;
  readonly remote: readonly GitopsConflictCommit[];
  readonly local: readonly GitopsConflictCommit[];
}

/** `gitops.syncStatus`: when this laptop last heard from the remote, what waits to go out, the last error. */
export interface GitopsSyncStatus {
  readonly configured: boolean;
  /** Whether syncs run by themselves in this process (the desktop and the browser door; not a CLI command). */
  readonly auto: { readonly enabled: boolean; readonly everyMs: number | null };
  readonly running: {
    readonly trigger: GitopsSyncTrigger;
    readonly phase: "fetching" | "pushing" | "importing";
    readonly startedAt: string;
  } | null;
  /** Syncs this app ran since it started (requests that joined a running sync are not counted). */
  readonly syncsSinceStart: number;
  /** The last time a fetch from the remote succeeded. */
  readonly lastHeardAt: string | null;
  readonly lastAttemptAt: string | null;
  readonly lastResult: {
    readonly at: string;
    readonly trigger: GitopsSyncTrigger;
    readonly pulled: number;
    readonly imported: number;
    readonly pushed: number;
  } | null;
  /** The last sync's failure in plain words, cleared by the next sync that succeeds. */
  readonly lastError: {
    readonly at: string;
    readonly trigger: GitopsSyncTrigger;
    readonly code: string;
    readonly message: string;
    readonly reason: string | null;
    /** For a conflict sync stopped at: the files and who changed them on each side. */
    readonly conflicts: readonly GitopsConflictFile[];
  } | null;
  /** What waits to go out: commits not yet on the remote (the outbox, oldest first). */
  readonly waiting: { readonly count: number; readonly items: readonly GitopsOutboxItem[] };
}

/** `gitops.syncFocus`: whether the focus started a sync, or why not (one ran moments ago, or none runs here). */
export interface GitopsSyncFocusResult {
  readonly started: boolean;
  readonly reason: "started" | "running" | "recent" | "off";
}

/** `gitops.submit`: the number the change holds now (after any renumbering) and whether it reached the remote. */
export interface GitopsSubmitResult {
  readonly number: string;
  readonly intent: string;
  readonly pushed: boolean;
  readonly error: GitopsPushResult["error"];
}

/** `gitops.release`: the release commit's intent, the change's status afterwards and whether it reached the remote. */
export interface GitopsReleaseResult {
  readonly number: string;
  readonly environment: string;
  readonly intent: string;
  readonly status: string;
  readonly pushed: boolean;
  readonly error: GitopsPushResult["error"];
}

/** `gitops.rollback`: the signed commit setting the previous image back, and the change rolled back. */
export interface GitopsRollbackResult {
  readonly number: string;
  readonly environment: string;
  readonly intent: string;
  readonly status: string;
  /** The image set back (the release commit's Rollback-Image). */
  readonly image: string;
  /** The snapshot to restore if the migration ran (Rollback-Snapshot), or null. */
  readonly snapshot: string | null;
  readonly pushed: boolean;
  readonly error: GitopsPushResult["error"];
}

/** `gitops.publishCalendars`: the files the commit changed (none: nothing to publish) and whether it reached the remote. */
export interface GitopsPublishCalendarsResult {
  readonly intent: string | null;
  readonly files: readonly string[];
  readonly syncWindows: number;
  /** What the windows cannot say (a plant without Argo CD selectors, a DST night Argo reads otherwise). */
  readonly warnings: readonly string[];
  readonly pushed: boolean;
  readonly error: GitopsPushResult["error"];
}

/** What connecting to a plant's repository found, shown to the person to confirm the trust root. */
export interface GitopsConnectProbe {
  readonly url: string;
  readonly branch: string;
  /** The branch tip cloned. */
  readonly head: string;
  /** The commit every signature is judged from: pinned on this laptop once confirmed. */
  readonly trustRoot: string;
  /** Named by the repository's .shiftgate/trust-root, or the repository's only first commit. */
  readonly trustRootSource: "committed" | "first-commit";
  /** Change folders in the repository. */
  readonly changes: number;
  /** What `gitops verify` finds in it now (0: clean). */
  readonly findings: number;
}

/**
 * `gitops.connect`: "confirm" shows the probe (nothing changed); "restart" means the confirmed repository is ready
 * and takes over the next time Shiftgate starts (the running register is never swapped under an open window).
 */
export interface GitopsConnectResult {
  readonly status: "confirm" | "restart";
  readonly probe: GitopsConnectProbe;
}

/** The `gitops.*` methods of the contract. */
export const gitopsMethods = {
  "gitops.verify": method<GitopsVerifyResult>()({
    input: z
      .object({
        rev: boundedText(256).optional(),
        now: z.iso.datetime({ offset: true }).optional(),
        trustRoot: boundedText(200).optional(),
      })
      .strict(),
    mutates: false,
  }),
  "gitops.policy": method<GitopsPolicyView>()({ input: z.object({}).strict(), mutates: false }),
  // Builds the offline demo when this laptop has none; never replaces one (that is `shiftgate gitops demo --replace`).
  "gitops.createDemo": method<GitopsDemoResult>()({
    input: z.object({}).strict(),
    mutates: true,
  }),
  // Joins a plant's repository: without trustRoot it only looks; with the trust root the person confirmed it stages
  // the clone, which replaces the current repository (archived with its register) at the next start.
  "gitops.connect": method<GitopsConnectResult>()({
    input: z
      .object({
        url: boundedText(2048),
        branch: z
          .string()
          .regex(/^[A-Za-z0-9._/-]{1,200}$/, "must be a branch name")
          .optional(),
        trustRoot: z
          .string()
          .regex(/^[0-9a-f]{40}$/, "must be a full commit id")
          .optional(),
      })
      .strict(),
    mutates: true,
  }),
  "gitops.outbox": method<GitopsOutboxView>()({ input: z.object({}).strict(), mutates: false }),
  // The passphrase re-signs a commit whose signing failed or must be replayed after another laptop pushed.
  "gitops.push": method<GitopsPushResult>()({
    input: z.object({ passphrase: passphraseText.optional() }).strict(),
    mutates: true,
  }),
  // Sends a submitted register change to the repository as changes/<ID>/change.yaml, signed by its requester.
  "gitops.submit": method<GitopsSubmitResult>()({
    input: z
      .object({
        changeId: boundedText(64),
        passphrase: passphraseText.default(""),
        // The image the approvals will cover, written as change.yaml's artifact (docs/gitops-repo.md).
        artifact: z
          .object({
            image: boundedText(200),
            tag: z
              .string()
              .max(128)
              .regex(/^[\w][\w.-]*$/),
            // The image's digest: the approvals then cover exactly these bytes (name:tag@digest).
            digest: imageDigest.optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    mutates: true,
  }),
  "gitops.sync": method<GitopsSyncResult>()({ input: z.object({}).strict(), mutates: true }),
  "gitops.syncStatus": method<GitopsSyncStatus>()({ input: z.object({}).strict(), mutates: false }),
  // The page calls this when its window gains focus; the core decides whether a sync is due (rate-limited).
  "gitops.syncFocus": method<GitopsSyncFocusResult>()({ input: z.object({}).strict(), mutates: false }),
  "gitops.changeSignatures": method<GitopsChangeSignatures>()({
    // The register's change id or its CHG number.
    input: z.object({ change: boundedText(64) }).strict(),
    mutates: false,
  }),
  // Commits on protected paths that verify rejects: unauthorised changes to what the cluster deploys.
  "gitops.drift": method<{ readonly unauthorised: readonly GitopsSignedCommit[] }>()({
    input: z.object({}).strict(),
    mutates: false,
  }),
  // Plant calendars to .shiftgate/calendars/<plant>.ics and their Argo CD sync windows as an AppProject, one commit.
  "gitops.publishCalendars": method<GitopsPublishCalendarsResult>()({
    input: z
      .object({
        passphrase: passphraseText.optional(),
        // A Kubernetes object name (DNS-1123 label).
        argoProject: z
          .string()
          .max(63)
          .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a Kubernetes name")
          .default("odoo"),
        path: z
          .string()
          .max(300)
          .regex(/^[\w.-]+(\/[\w.-]+)*\.ya?ml$/, "a repository-relative .yaml path")
          .default("apps/argocd/appproject-sync-windows.yaml"),
      })
      .strict(),
    mutates: true,
  }),
  // Writes the image tag in the change's environment, signed by its implementer or a release-manager.
  "gitops.release": method<GitopsReleaseResult>()({
    input: z
      .object({
        changeId: boundedText(64),
        image: boundedText(200),
        tag: z
          .string()
          .min(1)
          .max(128)
          .regex(/^[\w][\w.-]*$/),
        // What the release deploys (name:tag@digest); a protected environment is released only by digest.
        digest: imageDigest.optional(),
        passphrase: passphraseText.default(""),
      })
      .strict(),
    mutates: true,
  }),
  // Rolls a released change back to the image its release commit names (Rollback-Image:), signed, through the outbox.
  "gitops.rollback": method<GitopsRollbackResult>()({
    input: z
      .object({
        changeId: boundedText(64),
        reason: multilineText(2_000, { required: true }),
        passphrase: passphraseText.default(""),
      })
      .strict(),
    mutates: true,
  }),
} as const;
