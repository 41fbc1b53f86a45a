import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import type { MethodInput } from "../../../shared/contract/index";
import type { GitopsSubmitResult } from "../../../shared/contract/methods/gitops";
import { findPerson, isProtectedEnvironment, mayAct, type Policy } from "../../../shared/domain/policy/index";
import type { HandlerContext } from "../dispatch";
import { provedSignatory } from "../identity/identity-proof";
import { gitSigner } from "../identity/key-ref";
import { trustLoader } from "../identity/trust";
import { assessmentFile, assessorIntent } from "../register/assessment-publish";
import type { RegisterAuditInput } from "../register/audit";
import { type ChangeRow, findChange } from "../register/change-rows";
import type { Db } from "../register/db";
import { setRevisedArtifact, setSubmittedNumber } from "../register/ledger-writes";
import { latestAssessment } from "../register/queries";
import { requestFile } from "../register/request-publish";
import { canonicalChangeYaml } from "./change-doc";
import { digestOf, type FileWrite, messageWithTrailers } from "./commit";
import type { Outbox } from "./outbox";
import { insertIntent, type OutboxIntent } from "./outbox-store";
import { submittedArtifact } from "./revisions";
import type { Signer } from "./signing";

/**
 * The change's assessment in force, as a file for the submission commit, when the signer made it and the repository
 * does not hold it yet. An assessment by someone else is theirs to sign: it travels when they assess with their key.
 */
function ownAssessment(db: Db, dir: string, row: ChangeRow, number: string, signer: Signer): FileWrite[] {
  const a = latestAssessment(db, row.id);
  if (!a || a.assessedBy.toLowerCase() !== signer.email.toLowerCase()) return [];
  const file = assessmentFile(number, a, signer.name);
  return existsSync(join(dir, file.path)) ? [] : [file];
}

/**
 * The intents that follow a submission or revision commit, each signed by its own maker: an assessment another person
 * made before the change had its number (assessment-publish.ts), which the requester cannot sign for them.
 */
function followingIntents(
  db: Db,
  dir: string,
  row: ChangeRow,
  number: string,
  signer: Signer,
  policy: Policy,
): OutboxIntent[] {
  const nameOf = (email: string) => findPerson(policy, email)?.name ?? email;
  const assessment = assessorIntent(db, dir, row, number, signer.email, nameOf);
  return assessment ? [assessment] : [];
}

/**
 * A change sent while it waits for approval on this laptop carries the request, in the requester's name (sending a
 * change that is asked for is asking), so other laptops show it waiting too; not when the policy does not let the
 * requester ask. A change sent before it is asked is shown assessed everywhere until someone asks (request-publish.ts).
 */
function askedFile(
  row: ChangeRow,
  number: string,
  content: string,
  signer: Signer,
  policy: Policy,
  at: Date,
): FileWrite[] {
  if (row.status !== "awaiting-approval") return [];
  const email = signer.email.toLowerCase();
  const parties = {
    requester: row.requester_email.toLowerCase(),
    onBehalfOf: row.on_behalf_of_email?.toLowerCase() ?? null,
    implementer: row.implementer_email?.toLowerCase() ?? null,
    protectedEnvironment: isProtectedEnvironment(policy, row.environment),
  };
  const holder = { email, roles: findPerson(policy, email)?.roles ?? [] };
  if (!mayAct(policy.actions, "change.request-approval", holder, parties)) return [];
  return [requestFile(number, content, { name: signer.name, email: signer.email }, at.toISOString())];
}

type GitopsSubmitInput = MethodInput<"gitops.submit">;

interface SubmitDeps {
  readonly db: Db;
  readonly dataDir: string;
  readonly outbox: Outbox;
  readonly newId: () => string;
}

/**
 * A change already in the repository, edited in the register since (withdrawn to draft, changed, submitted again):
 * its requester signs the new change.yaml over the old one, one commit, as the ledger's ownership rule allows. The
 * approvals signed before linked the old bytes' digest, so they no longer count for the edited change, on every
 * laptop that syncs it. Nothing is written when the bytes are the same.
 */
function reviseInRepo(
  deps: SubmitDeps,
  ctx: HandlerContext,
  row: ChangeRow & { readonly number: string },
  signer: Signer,
  artifact: GitopsSubmitInput["artifact"],
  policy: Policy,
): { id: string; number: string } {
  const path = `changes/${row.number}/change.yaml`;
  const file = join(deps.outbox.repo.dir, path);
  const before = existsSync(file) ? readFileSync(file, "utf8") : null;
  if (before === null)
    throw new AppError("conflict", `This change is already on its way to the GitOps repository as ${row.number}.`);
  // The image the change named when it was submitted stays, unless a new one is sent with the revision.
  const kept = artifact ?? submittedArtifact(row);
  const content = canonicalChangeYaml(row, kept);
  if (content === before)
    throw new AppError(
      "conflict",
      `This change is already in the GitOps repository as ${row.number}, as it stands; edit it first to send a revision.`,
    );
  const intentId = deps.newId();
  ctx.transact(() => {
    if (artifact) {
      setRevisedArtifact(deps.db, row.id, artifact);
    }
    const message = messageWithTrailers(`Revise ${row.number}: ${row.title}`, [["Change-Request", row.number]]);
    insertIntent(
      deps.db,
      intentId,
      {
        kind: "submission",
        changeNumber: row.number,
        subject: `Revise ${row.number}: ${row.title}`,
        files: [
          { path, content },
          ...ownAssessment(deps.db, deps.outbox.repo.dir, row, row.number, signer),
          ...askedFile(row, row.number, content, signer, policy, ctx.clock.now()),
        ],
        message,
        signer,
      },
      ctx.clock.now(),
    );
    const entry: RegisterAuditInput = {
      action: "change.revise",
      entity: "change",
      entityId: row.id,
      before: { digest: digestOf(before) },
      after: { number: row.number, digest: digestOf(content), intent: intentId },
      reason: "Revision sent to the GitOps repository, signed by its requester",
    };
    ctx.audit(entry);
    for (const next of followingIntents(deps.db, deps.outbox.repo.dir, row, row.number, signer, policy))
      insertIntent(deps.db, deps.newId(), next, ctx.clock.now());
  });
  return { id: intentId, number: row.number };
}

/**
 * Submits a register change to the GitOps repository as its requester: takes the next free CHG number, and in one
 * register transaction stores it on the change, writes the outbox intent and the audit row; then commits
 * `changes/<ID>/change.yaml` signed by this laptop's key and pushes. When another laptop took the number first,
 * the push renumbers it (pushSubmissions) and the register follows. A change already there is sent as a revision.
 */
export async function submitToRepo(
  deps: SubmitDeps,
  ctx: HandlerContext,
  input: {
    readonly changeId: string;
    readonly passphrase: string;
    readonly artifact?: { readonly image: string; readonly tag: string; readonly digest?: string };
  },
): Promise<GitopsSubmitResult> {
  const { db, outbox } = deps;
  const trust = await trustLoader(outbox.repo.dir, join(deps.dataDir, "keys", "demo"))();
  // Only a key proved in this run of the core signs (a selection remembered across a restart is proved now).
  const signatory = await provedSignatory(db, trust, input.passphrase);
  const signer = gitSigner(signatory, input.passphrase);
  const { id, number } = await outbox.exclusive(async () => {
    const row = findChange(db, input.changeId);
    if (!row) throw new AppError("not-found", `There is no change ${input.changeId}.`);
    if (row.status === "draft")
      throw new AppError("illegal-transition", "Submit the change in the register first; a draft is not sent.");
    const requester = row.requester_email;
    if (requester.toLowerCase() !== signatory.email.toLowerCase())
      throw new AppError("forbidden", `Only the requester (${requester}) signs the submission of this change.`);
    if (row.number)
      return reviseInRepo(deps, ctx, { ...row, number: row.number }, signer, input.artifact, trust.policy);
    const taken = outbox.nextNumber(ctx.clock.now().getUTCFullYear());
    const numbered = { ...row, number: taken };
    const content = canonicalChangeYaml(numbered, input.artifact);
    const intentId = deps.newId();
    ctx.transact(() => {
      // The change keeps the image its approvals will cover, as change.yaml names it.
      setSubmittedNumber(db, row.id, taken, input.artifact);
      insertIntent(
        db,
        intentId,
        {
          kind: "submission",
          changeNumber: taken,
          subject: `Submit ${taken}: ${numbered.title}`,
          files: [
            { path: `changes/${taken}/change.yaml`, content },
            ...ownAssessment(db, outbox.repo.dir, row, taken, signer),
            ...askedFile(row, taken, content, signer, trust.policy, ctx.clock.now()),
          ],
          message: messageWithTrailers(`Submit ${taken}: ${numbered.title}`, [["Change-Request", taken]]),
          signer,
        },
        ctx.clock.now(),
      );
      const entry: RegisterAuditInput = {
        action: "change.number",
        entity: "change",
        entityId: row.id,
        before: { number: null },
        after: { number: taken, intent: intentId, ...(input.artifact ? { artifact: input.artifact } : {}) },
        reason: "Submitted to the GitOps repository",
        // The number is taken by the repository's sequence, not chosen by a person; the submission is the signer's.
        actor: "system:gitops",
      };
      ctx.audit(entry);
      for (const next of followingIntents(db, outbox.repo.dir, row, taken, signer, trust.policy))
        insertIntent(db, deps.newId(), next, ctx.clock.now());
    });
    return { id: intentId, number: taken };
  });
  const round = await outbox.push(input.passphrase || undefined);
  const final = findChange(db, input.changeId)?.number ?? number;
  ctx.emit("register.changed", { entity: "change", id: input.changeId });
  return { number: final, intent: id, pushed: round.error === null && round.pending === 0, error: round.error };
}
