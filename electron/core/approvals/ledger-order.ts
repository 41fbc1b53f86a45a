import type { Gate } from "../../../shared/contract/methods/register-types";
import { STAGES } from "../../../shared/domain/register/vocabulary";
import { changeView } from "../gitops/change-doc";
import { type GitContext, git } from "../gitops/git";
import type { RepoApproval } from "../gitops/repo-approvals";
import type { Trust } from "../identity/trust";
import type { Db } from "../register/db";
import { gateRepoPaths } from "../register/ledger-reads";
import { gatesOf, liveChange } from "../register/queries";
import type { ApprovalPublisher } from "./publisher";
import { type ChangeState, judge } from "./state";

/** The commits that touched a change's folder, oldest first, each with the paths it wrote. */
async function folderHistory(ctx: GitContext, repoDir: string, number: string): Promise<Map<string, number>> {
  const out = await git(ctx, repoDir, [
    "log",
    "--reverse",
    "--format=%x01%H",
    "--name-only",
    "HEAD",
    "--",
    `changes/${number}`,
  ]);
  // Position of each commit, and of each path the first time a commit wrote it, in the repository's order.
  const order = new Map<string, number>();
  let index = -1;
  for (const line of out.stdout.split("\n")) {
    if (line.startsWith("\x01")) order.set(line.slice(1), ++index);
    else if (line && !order.has(line)) order.set(line, index);
  }
  return order;
}

/**
 * The quorum as the repository's history settles it, whatever order this laptop received the records in: the
 * change's approvals are replayed in commit order, and the first point at which those present meet the quorum (or a
 * standing rejection defeats it) decides. That is the state a laptop syncing after every commit reached, so every
 * laptop reaches it. The gates rule is judged by commit order here (rule changed for #17, by design): a gate record
 * committed after an approval and before the quorum is complete makes it stale; one committed after the quorum does
 * not undo it; one committed before it but not yet on its signer's laptop does not void it (that laptop had already
 * counted it, and approved is not a state sync can take back). Records not in the repository yet (this laptop's,
 * unpushed) are left to the caller's own judgement. Returns null when no point settles the change.
 */
export async function ledgerOrderQuorum(
  db: Db,
  changeId: string,
  trust: Trust,
  publisher: ApprovalPublisher,
  repo: { readonly dir: string; readonly ctx: GitContext },
): Promise<ChangeState | null> {
  const row = liveChange(db, changeId);
  if (row.number === null) return null;
  const approvals = (await publisher.approvals(row.number)).filter((a) => a.commit !== null);
  if (approvals.length === 0) return null;
  const order = await folderHistory(repo.ctx, repo.dir, row.number);
  const at = (a: RepoApproval) => order.get(a.commit ?? "") ?? Number.POSITIVE_INFINITY;
  const paths = gateRepoPaths(db, changeId);
  const gateAt = (g: Gate) => order.get(paths.get(g.id) ?? "") ?? Number.POSITIVE_INFINITY;
  // Only the stages before the target environment bear on an approval (as in gates-digest.ts).
  const before = STAGES.indexOf(row.environment);
  const gateTimes = gatesOf(db, changeId)
    .filter((g) => STAGES.indexOf(g.stage) < before)
    .map(gateAt);
  const points = [...new Set(approvals.map(at))].filter(Number.isFinite).sort((x, y) => x - y);
  for (const point of points) {
    // Judged by commit order, not by the gate digest the approval names: an approval counts at this point unless a
    // gate record was committed after it (and by now). A gate committed before it that its signer had not received
    // yet does not void it: the signer's laptop already counted it, so every laptop must (one ledger, one state).
    const counting = approvals.filter((a) => at(a) <= point && !gateTimes.some((t) => t > at(a) && t <= point));
    const state = judge(
      changeView(row, (n) => publisher.changeDigest(n)),
      [],
      counting,
      trust,
    );
    if (state.quorum.defeated || (state.quorum.met && state.quorum.required)) return state;
  }
  return null;
}
