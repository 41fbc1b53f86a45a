import { existsSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import type { GitopsDemoResult } from "../../../shared/contract/methods/gitops";
import { osActor } from "../register/actor";
import { appendAudit } from "../register/audit";
import type { CoreServices } from "../services";
import { replaceDemoGitops } from "./demo-install";
import { git, isolatedGitContext } from "./git";
import { rowsIn } from "./outbox-store";

/**
 * The CLI's `shiftgate gitops demo --replace`: rebuilds the offline demo repository. Deliberately not a contract
 * method, so no page (window or browser door) can reach it. Refused while the outbox or the working copy holds
 * anything not on the remote: those would be lost with the old folder.
 */
export async function replaceDemo(services: CoreServices): Promise<GitopsDemoResult> {
  const work = services.gitopsDir;
  if (!work) throw new AppError("not-found", "This install has no folder for a GitOps working copy.");
  if (existsSync(join(work, ".git"))) await refuseUnpushed(services, work);
  const demo = await replaceDemoGitops(services.dataDir, services.clock);
  const db = services.register.db;
  db.transaction(() =>
    appendAudit(
      db,
      [
        {
          action: "gitops.replace-demo",
          entity: "gitops",
          entityId: null,
          after: { remote: demo.remote, workingCopy: demo.repo.dir },
          reason: "Demo GitOps repository rebuilt from the command line",
        },
      ],
      { door: "cli", at: services.clock.now() },
      osActor(),
    ),
  ).immediate();
  return { remote: demo.remote, workingCopy: demo.repo.dir, changes: demo.changes };
}

async function refuseUnpushed(services: CoreServices, work: string): Promise<void> {
  const open = rowsIn(services.register.db, ["pending", "committed"]);
  if (open.length > 0) {
    const names = open.map((r) => `${r.subject} (${r.state}, signed by ${r.signer.email})`);
    throw new AppError(
      "conflict",
      `The outbox still holds ${open.length} commit(s) not on the remote: ${names.join("; ")}. Push them first (Push on the GitOps page); nothing was replaced.`,
      { reason: "unpushed", items: open.map((r) => ({ id: r.id, subject: r.subject, state: r.state })) },
    );
  }
  const ctx = isolatedGitContext();
  const ahead = await git(ctx, work, ["rev-list", "--count", "HEAD", "--not", "--remotes"], { okCodes: [128] });
  const dirty = await git(ctx, work, ["status", "--porcelain", "--untracked-files=all"], { okCodes: [128] });
  if (ahead.code !== 0 || dirty.code !== 0)
    throw new AppError(
      "conflict",
      `git cannot read the working copy at ${work}, so Shiftgate cannot tell whether it holds unpushed work. Move it away yourself if you no longer need it; nothing was replaced.`,
      { reason: "unreadable" },
    );
  if (Number(ahead.stdout.trim()) > 0 || dirty.stdout.trim() !== "")
    throw new AppError(
      "conflict",
      `The working copy at ${work} holds commits or files that are not on the remote. Push or move them away first; nothing was replaced.`,
      { reason: "unpushed" },
    );
}
