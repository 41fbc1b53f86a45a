import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import type { GitopsRollbackResult } from "../../../shared/contract/methods/gitops";
import type { ChangeStatus } from "../../../shared/domain/register/vocabulary";
import type { HandlerContext } from "../dispatch";
import { transitionChange } from "../register/change-ops";
import { messageWithTrailers } from "./commit";
import { git } from "./git";
import { setImage } from "./release-image";
import {
  assertReleaser,
  changeOrThrow,
  opEnvFor,
  type ReleaseDeps,
  recordReleaseIntent,
  releaseSignatory,
} from "./release-intent";

/** The states a released change may be rolled back from (the lifecycle's moves to rolled-back). */
const ROLLBACKABLE: readonly ChangeStatus[] = ["implementing", "validating", "unauthorised", "failed"];

interface RollbackRequest {
  readonly changeId: string;
  readonly reason: string;
  readonly passphrase: string;
}

/** The rollback checkpoint a release commit names (docs/gitops-repo.md, Release commits). */
interface Checkpoint {
  readonly release: string;
  readonly image: string;
  /** The pin the release replaced: its tag and, for a protected environment, its digest. */
  readonly tag: string | null;
  readonly digest: string | null;
  readonly snapshot: string | null;
  readonly file: string;
}

const US = "\x1f";
const RS = "\x1e";

/** The newest release commit of the change that names a rollback checkpoint, or null. */
async function findCheckpoint(repo: ReleaseDeps["outbox"]["repo"], number: string): Promise<Checkpoint | null> {
  const format = [
    "%H",
    "%(trailers:key=Change-Request,valueonly,separator=%x2C)",
    "%(trailers:key=Rollback-Image,valueonly,separator=%x2C)",
    "%(trailers:key=Rollback-Snapshot,valueonly,separator=%x2C)",
  ].join(US);
  const log = await git(repo.ctx, repo.dir, ["log", `--format=${format}${RS}`, "--max-count=2000", "HEAD"]);
  for (const record of log.stdout.split(RS)) {
    const [sha = "", changes = "", image = "", snapshot = ""] = record.trim().split(US);
    if (!changes.split(",").some((c) => c.trim() === number) || image.trim() === "") continue;
    const ref = image.trim();
    // `image[:tag][@sha256:…]` (a registry port has a colon too, before the last slash).
    const at = ref.indexOf("@");
    const named = at >= 0 ? ref.slice(0, at) : ref;
    const digest = at >= 0 ? ref.slice(at + 1) : null;
    const colon = named.lastIndexOf(":");
    const hasTag = colon > named.lastIndexOf("/");
    if (!hasTag && !digest) {
      throw new AppError(
        "invalid-input",
        `${number}'s release ${sha.slice(0, 12)} pinned ${ref} before it; set it back in the kustomization by hand.`,
      );
    }
    const files = await git(repo.ctx, repo.dir, ["show", "--name-only", "--format=", sha]);
    const file = files.stdout.split("\n").find((f) => /(^|\/)kustomization\.ya?ml$/.test(f.trim()));
    if (!file) continue;
    return {
      release: sha,
      image: hasTag ? named.slice(0, colon) : named,
      tag: hasTag ? named.slice(colon + 1) : null,
      digest,
      snapshot: snapshot.trim() || null,
      file: file.trim(),
    };
  }
  return null;
}

/**
 * Rolls a released change back as the selected key's holder (the implementer or a release-manager, as for a release):
 * one signed commit through the outbox sets the image the release commit's `Rollback-Image:` names back, carrying
 * `Change-Request:`, `Reverts:` and the snapshot to restore; the change moves to rolled-back with the reason.
 */
export async function rollbackInRepo(
  deps: ReleaseDeps,
  ctx: HandlerContext,
  input: RollbackRequest,
): Promise<GitopsRollbackResult> {
  const { db, outbox } = deps;
  const { trust, signatory, signer } = await releaseSignatory(deps, input.passphrase);
  const done = await outbox.exclusive(async () => {
    const row = changeOrThrow(db, input.changeId);
    if (!ROLLBACKABLE.includes(row.status) || !row.number) {
      throw new AppError(
        "forbidden",
        `This change is ${row.status}; only a released change (${ROLLBACKABLE.join(", ")}) is rolled back.`,
      );
    }
    const number = row.number;
    assertReleaser(row, signatory);
    const checkpoint = await findCheckpoint(outbox.repo, number);
    if (!checkpoint) {
      throw new AppError(
        "not-found",
        `No release commit of ${number} names a rollback checkpoint (Rollback-Image:); follow its rollback plan by hand.`,
      );
    }
    const abs = join(outbox.repo.dir, checkpoint.file);
    const current = existsSync(abs) ? readFileSync(abs, "utf8") : "";
    const previous = `${checkpoint.image}${checkpoint.tag ? `:${checkpoint.tag}` : ""}${checkpoint.digest ? `@${checkpoint.digest}` : ""}`;
    const message = messageWithTrailers(
      `Roll back ${number} in ${row.environment}: ${previous}`,
      [
        ["Change-Request", number],
        ["Reverts", checkpoint.release],
        ...(checkpoint.snapshot ? [["Rollback-Snapshot", checkpoint.snapshot] as [string, string]] : []),
      ],
      input.reason,
    );
    const intentId = deps.newId();
    const status = ctx.transact(() => {
      const pin = { tag: checkpoint.tag ?? undefined, digest: checkpoint.digest ?? undefined };
      const files = [{ path: checkpoint.file, content: setImage(current, checkpoint.image, pin) }];
      recordReleaseIntent(ctx, db, intentId, number, { files, message }, signer, {
        action: "change.rollback",
        entity: "change",
        entityId: row.id,
        before: { status: row.status },
        after: {
          number,
          image: previous,
          reverts: checkpoint.release,
          snapshot: checkpoint.snapshot,
          intent: intentId,
        },
        reason: input.reason,
        actor: signatory.email,
      });
      const env = opEnvFor(deps, ctx, signatory, trust);
      return transitionChange(env, { id: row.id, to: "rolled-back", reason: input.reason }).status;
    });
    return { number, environment: row.environment, intentId, status, previous, snapshot: checkpoint.snapshot };
  });
  const round = await outbox.push(input.passphrase || undefined);
  ctx.emit("register.changed", { entity: "change", id: input.changeId });
  return {
    number: done.number,
    environment: done.environment,
    intent: done.intentId,
    status: done.status,
    image: done.previous,
    snapshot: done.snapshot,
    pushed: round.error === null && round.pending === 0,
    error: round.error,
  };
}
