import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import type { GitopsPublishCalendarsResult } from "../../../shared/contract/methods/gitops";
import { argoSyncWindows, withZones } from "../../../shared/domain/calendar/index";
import { matchesAny } from "../../../shared/domain/policy/index";
import { listPlants } from "../calendar/plant-store";
import { plantWindowInputs } from "../calendar/sync-window-inputs";
import type { HandlerContext } from "../dispatch";
import { identify, selectedKey } from "../identity/identity";
import { gitSigner } from "../identity/key-ref";
import { type Trust, trustLoader } from "../identity/trust";
import type { Db } from "../register/db";
import { appProjectYaml } from "./app-project";
import type { FileWrite } from "./commit";
import type { Outbox } from "./outbox";
import { insertIntent } from "./outbox-store";
import { repoPath } from "./repo-path";

/** The role the policy demands of whoever changes `.shiftgate/` (docs/gitops-repo.md). */
const POLICY_ADMIN = "policy-admin";

interface PublishCalendarsDeps {
  readonly db: Db;
  readonly dataDir: string;
  readonly outbox: Outbox;
  readonly newId: () => string;
}

interface PublishCalendarsInput {
  readonly passphrase?: string;
  readonly argoProject: string;
  readonly path: string;
}

/** `.shiftgate/calendars/<plant>.ics`: the path verify reads a plant's blackouts from. */
function calendarPath(plantId: string): string {
  // A plant id is a slug (plant-store); anything else would put the calendar somewhere verify never reads.
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(plantId))
    throw new AppError("invalid-input", `The plant id ${JSON.stringify(plantId)} cannot name a calendar file.`);
  return repoPath(`.shiftgate/calendars/${plantId}.ics`);
}

function refuseUnlessAdmin(trust: Trust, db: Db) {
  const { signatory, problem } = identify(trust, selectedKey(db));
  if (!signatory) throw new AppError("forbidden", problem ?? "Choose your signing key before publishing calendars.");
  if (!signatory.person.roles.includes(POLICY_ADMIN)) {
    const admins = trust.policy.people.filter((p) => p.roles.includes(POLICY_ADMIN)).map((p) => p.email);
    throw new AppError(
      "forbidden",
      `Only a ${POLICY_ADMIN} may change .shiftgate/ (${admins.join(", ") || "nobody holds it in policy.yaml"}); ${signatory.email} does not hold it.`,
      { reason: "role-not-held", role: POLICY_ADMIN, admins },
    );
  }
  return signatory;
}

// A generated manifest must not land on a protected path (a release commit without a change) nor in the ledger.
function checkTarget(trust: Trust, dir: string, path: string): void {
  const globs = Object.values(trust.policy.environments)
    .filter((e) => e.protected)
    .flatMap((e) => e.paths);
  // repoPath first: the prefix and glob checks below only hold for a path spelled without "./", "a/./b" or "..".
  repoPath(path, dir);
  if (/^(\.shiftgate|changes)\//.test(path) || matchesAny(path, globs))
    throw new AppError(
      "invalid-input",
      `${path} is not a place for the sync windows: choose a path of no environment.`,
    );
}

// A calendar whose only difference is its DTSTAMPs (when the file was written, not what it says) is left as
// published: rewriting it would be a commit in the ledger that changes nothing.
function sameUnlessChanged(published: string | null, stored: string): string {
  if (published === null) return stored;
  const meaning = (text: string) =>
    text
      .split(/\r?\n/)
      .filter((line) => !/^DTSTAMP[:;]/i.test(line))
      .join("\n");
  return meaning(published) === meaning(stored) ? published : stored;
}

// The working copy's current text (HEAD plus this laptop's unpushed commits), or null when absent.
function current(dir: string, path: string): string | null {
  const file = join(dir, path);
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}

/**
 * Publishes every plant's stored calendar to `.shiftgate/calendars/<plant>.ics` and the Argo CD sync windows they
 * give as an AppProject, in one commit signed by a policy-admin, through the outbox (intent and audit row in one
 * register transaction, then commit and push). Files already as they would be are left out; nothing changed, no commit.
 */
export async function publishCalendars(
  deps: PublishCalendarsDeps,
  ctx: HandlerContext,
  input: PublishCalendarsInput,
): Promise<GitopsPublishCalendarsResult> {
  const { db, outbox } = deps;
  const dir = outbox.repo.dir;
  const trust = await trustLoader(dir, join(deps.dataDir, "keys", "demo"))();
  const signatory = refuseUnlessAdmin(trust, db);
  checkTarget(trust, dir, input.path);
  const signer = gitSigner(signatory, input.passphrase ?? "");
  const made = await outbox.exclusive(async () => {
    const plants = listPlants(db);
    const plan = argoSyncWindows(plantWindowInputs(db, dir, plants), ctx.clock.now().getTime());
    const windows = plan.windows;
    const wanted: FileWrite[] = [
      // Published with its zone (verify and other readers must not take a calendar without one as UTC), and not
      // rewritten when only its DTSTAMPs would change.
      ...plants.map((p) => ({
        path: calendarPath(p.id),
        content: sameUnlessChanged(current(dir, calendarPath(p.id)), withZones(p.ics, p.timeZone)),
      })),
      { path: input.path, content: appProjectYaml(current(dir, input.path), input.argoProject, windows, input.path) },
    ];
    // Checked against the working copy as it is now, before the intent exists (a symlinked folder on the way).
    for (const f of wanted) repoPath(f.path, dir);
    const files = wanted.filter((f) => current(dir, f.path) !== f.content);
    if (files.length === 0) return { intent: null, files: [], windows: windows.length, warnings: plan.warnings };
    const intent = deps.newId();
    const subject = `Publish plant calendars and sync windows of AppProject ${input.argoProject}`;
    // Worded so that git does not read the body as a trailer block (the intent trailer follows it).
    const body = `Calendars of ${plants.map((p) => p.id).join(", ") || "no plant"}; ${windows.length} Argo CD sync windows.`;
    ctx.transact(() => {
      // No change record: "release" is the kind for manifests, and the outbox table allows no other new kind.
      insertIntent(
        db,
        intent,
        { kind: "release", changeNumber: null, subject, files, message: `${subject}\n\n${body}\n`, signer },
        ctx.clock.now(),
      );
      ctx.audit({
        action: "gitops.publish-calendars",
        entity: "gitops",
        entityId: intent,
        after: { files: files.map((f) => f.path), project: input.argoProject, syncWindows: windows.length },
        reason: "Plant calendars published to the GitOps repository",
      });
    });
    return { intent, files: files.map((f) => f.path), windows: windows.length, warnings: plan.warnings };
  });
  if (made.intent === null)
    return { intent: null, files: [], syncWindows: made.windows, warnings: made.warnings, pushed: false, error: null };
  const round = await outbox.push(input.passphrase || undefined);
  return {
    intent: made.intent,
    files: made.files,
    syncWindows: made.windows,
    warnings: made.warnings,
    pushed: round.error === null && round.pending === 0,
    error: round.error,
  };
}
