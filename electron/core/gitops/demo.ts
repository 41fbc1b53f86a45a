import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { demoPlantIcs } from "../../../shared/domain/calendar/demo-calendars";
import { DEMO_EMERGENCY } from "../../../shared/domain/demo/emergency";
import { DEMO_PEOPLE, DEMO_PLANTS } from "../../../shared/domain/demo/roster";
import { DEMO_STANDARD_TEMPLATES } from "../../../shared/domain/demo/standard-templates";
import {
  type ApprovalDoc,
  approvalPath,
  type ChangeDoc,
  templatePath,
  writeApproval,
  writeChange,
  writeException,
  writePolicy,
  writeStandardTemplate,
} from "../../../shared/domain/policy/index";
import type { Clock } from "../clock";
import type { dataPaths } from "../paths";
import { DEMO_CHANGES, demoWindow, numberedDemoChange } from "../register/demo-changes";
import { requestFile } from "../register/request-publish";
import { demoAppProjectYaml } from "./app-project";
import { commitFiles, digestOf, type FileWrite, messageWithTrailers } from "./commit";
import { fastCommitter } from "./demo-fast-commits";
import { demoGateCommits } from "./demo-gates";
import { DEMO_BASE_FILES, DEMO_IMAGE, demoDigest, demoKustomization, demoPolicy } from "./demo-policy";
import { tellDemoStories } from "./demo-stories";
import { type GitContext, git } from "./git";
import { allowedSignersText, ensureSshKey } from "./keys";
import { setImage } from "./release-image";
import { type GitopsRepo, pushBranch } from "./repo";
import type { Signer } from "./signing";
import { pinTrustRoot } from "./trust-pin";
import { calendarBlackouts } from "./verify/blackouts";
import { TRUST_ROOT_PATH } from "./verify/trust-root";

const keyFileOf = (signer: Signer): string => (signer.key.format === "ssh" ? signer.key.keyFile : "");

function inBlackout(plant: string, calendars: ReadonlyMap<string, string>, at: number): boolean {
  const ics = calendars.get(plant);
  return !!ics && calendarBlackouts(plant, ics, new Date(at), new Date(at + 1)).length > 0;
}

/** The offline demo: a bare "remote", a working copy, a key per demo person, changes in several states. */
export interface DemoGitops {
  readonly remote: string;
  readonly repo: GitopsRepo;
  readonly keysDir: string;
  /** Each demo person's signer (unencrypted demo key), by e-mail. */
  readonly signers: ReadonlyMap<string, Signer>;
  /** The demo changes and the state each was left in. */
  readonly changes: readonly { readonly id: string; readonly state: string }[];
}

const H = 3_600_000;
const D = 24 * H;
// The image every demo release pins; each change.yaml names the tag its approvals cover.
const ODOO = DEMO_IMAGE;
// The overlays in promotion order, with the environment each serves.
const STAGE_OVERLAYS = [
  ["qa", "qa"],
  ["preprod", "preproduction"],
  ["prod", "production"],
] as const;
const overlayPath = (name: string) => `apps/odoo/overlays/${name}/kustomization.yaml`;

/**
 * Writes the demo into `staging` (its bare remote and working copy, whose origin already names the final remote
 * path) with the demo keys in the data folder's keys/, reused when there. demo-install.ts moves it into place.
 * It carries the demo plant calendars (.shiftgate/calendars) so verify judges blackouts too. Times are laid out
 * around the clock's now: one change released, one waiting for the Chicago plant-ops-leader, one just submitted,
 * one rejected, one emergency with an overdue review, one db migration approved.
 */
export async function buildDemoIn(
  staging: string,
  paths: ReturnType<typeof dataPaths>,
  clock: Clock,
  ctx: GitContext,
): Promise<DemoGitops> {
  const keys = await Promise.all(DEMO_PEOPLE.map((p) => ensureSshKey(paths.keys, p.email)));
  const signers = new Map<string, Signer>(
    DEMO_PEOPLE.map((p, i) => [
      p.email,
      { name: p.name, email: p.email, key: { format: "ssh", keyFile: keys[i]?.privateKey ?? "" } },
    ]),
  );
  const who = (email: string): Signer => signers.get(email) as Signer;
  const remoteDir = join(staging, basename(paths.gitopsDemoRemote));
  const workDir = join(staging, basename(paths.gitopsWorkingCopy));
  mkdirSync(remoteDir, { recursive: true });
  await git(ctx, remoteDir, ["init", "--quiet", "--bare", "--initial-branch=main"]);
  mkdirSync(workDir, { recursive: true });
  await git(ctx, workDir, ["init", "--quiet", "--initial-branch=main"]);
  await git(ctx, workDir, ["remote", "add", "origin", remoteDir]);
  const repo: GitopsRepo = { dir: workDir, branch: "main", remote: "origin", ctx };

  const t0 = clock.now().getTime();
  const calendars = new Map(DEMO_PLANTS.map((p) => [p.id, demoPlantIcs(p, t0)]));
  // Times are given as offsets from now (t0) or, for what the register seeds around DEMO_NOW, as instants (abs).
  const at = (ms: number) => new Date(t0 + ms);
  const abs = (instant: number) => instant - t0;
  const iso = (ms: number) =>
    at(ms)
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
  // Every stage starts on the same image, pinned by digest: a release then promotes one digest stage by stage.
  const BASE_TAG = "17.0-20261101";
  const overlays = new Map(
    STAGE_OVERLAYS.map(([name]) => [name, demoKustomization(name, BASE_TAG, demoDigest(BASE_TAG))]),
  );
  // A numbered change's window is the register's (demoWindow): one change, one window, in both.
  const windowOf = (n: number) => {
    const w = demoWindow(numberedDemoChange(n));
    return { start: iso(abs(Date.parse(w.start))), end: iso(abs(Date.parse(w.end))) };
  };
  const startOf = (n: number) => abs(Date.parse(demoWindow(numberedDemoChange(n)).start));
  // The history starts a month before whichever comes first, now or the demo's released changes.
  const origin = Math.min(0, startOf(1) - 9 * D) - 30 * D;
  const root = await commitFiles(
    repo,
    who("olivia.brown@plant.example"),
    [
      { path: ".shiftgate/policy.yaml", content: writePolicy(demoPolicy(DEMO_PEOPLE, "ssh", { gates: true })) },
      { path: ".shiftgate/allowed_signers", content: allowedSignersText(keys) },
      ...DEMO_BASE_FILES,
      ...STAGE_OVERLAYS.map(([name]) => ({ path: overlayPath(name), content: overlays.get(name) ?? "" })),
      ...[...calendars].map(([plant, content]) => ({ path: `.shiftgate/calendars/${plant}.ics`, content })),
      // The standard-change catalogue: the policy-admin's signed commit is the CAB's pre-approval.
      ...DEMO_STANDARD_TEMPLATES.map((t) => ({ path: templatePath(t.id), content: writeStandardTemplate(t) })),
      // The Argo CD project the calendars' sync windows are published into (gitops.publishCalendars).
      { path: "apps/argocd/appproject-sync-windows.yaml", content: demoAppProjectYaml("odoo") },
    ],
    "Shiftgate policy, signers and Odoo overlays\n",
    at(origin),
  );
  // The committed pin: verify (and CI) judge from this root, so a rewritten history cannot pose as this one.
  await commitFiles(
    repo,
    who("olivia.brown@plant.example"),
    [{ path: TRUST_ROOT_PATH, content: `${root}\n` }],
    "Pin the root of trust\n",
    at(origin + 60_000),
  );

  // Every later commit is written in-process (demo-fast-commits.ts): ~110 signed commits through git and ssh-keygen
  // cost three processes each, seconds of every first run. The branch moves once, before the push.
  const fast = await fastCommitter(ctx, repo.dir, repo.branch);
  const put = async (signer: Signer, files: readonly FileWrite[], message: string, date: Date) =>
    fast.commit({ name: signer.name, email: signer.email, keyFile: keyFileOf(signer) }, files, message, date);
  const person = (email: string) => ({ name: who(email).name, email });
  const change = (n: number, over: Partial<ChangeDoc> & Pick<ChangeDoc, "title" | "window">): ChangeDoc => ({
    id: `CHG-${at(0).getUTCFullYear()}-${String(n).padStart(4, "0")}`,
    type: "normal",
    risk: "high",
    area: "warehouse",
    environment: "production",
    plants: ["berlin"],
    requester: person("lena.weber@plant.example"),
    implementer: person("tom.fischer@plant.example"),
    dbMigration: false,
    rollback: "Revert the image tag; restore the pre-release snapshot if a migration ran",
    validation: ["mrp-run", "inventory-reservation", "interface-health"],
    ...over,
  });
  // A change waiting for approval in the demo register was sent asking for it: the request rides in its submission.
  const submit = async (c: ChangeDoc, when: number, asked = false) => {
    const content = writeChange(c);
    await put(
      who(c.requester.email),
      [
        { path: `changes/${c.id}/change.yaml`, content },
        ...(asked ? [requestFile(c.id, content, person(c.requester.email), iso(when))] : []),
      ],
      messageWithTrailers(`Submit ${c.id}: ${c.title}`, [["Change-Request", c.id]]),
      at(when),
    );
    return digestOf(content);
  };
  const decide = async (
    c: ChangeDoc,
    digest: string,
    email: string,
    role: string,
    when: number,
    opts: { scope?: ApprovalDoc["scope"]; reject?: boolean; meaning?: string } = {},
  ) => {
    const scope = opts.scope ?? "deploy";
    const decision = opts.reject ? "rejected" : "approved";
    const approval: ApprovalDoc = {
      change: c.id,
      scope,
      decision,
      meaning: opts.meaning
        ? opts.meaning
        : opts.reject
          ? "Rejected: risk to month-end close"
          : scope === "deploy"
            ? "Approved for production release"
            : "Approved the database migration",
      signer: { ...person(email), role },
      signedAt: iso(when),
      changeDigest: digest,
    };
    await put(
      who(email),
      [{ path: approvalPath(c.id, email, scope), content: writeApproval(approval) }],
      messageWithTrailers(`${opts.reject ? "Reject" : "Approve"} ${c.id} (${scope})`, [
        ["Change-Request", c.id],
        ["Approval-Scope", scope],
        [opts.reject ? "Rejected-by" : "Approved-by", `${who(email).name} <${email}>`],
      ]),
      at(when),
    );
  };
  // The same digest moves qa -> preprod -> prod, each stage its own signed commit a few minutes before the next:
  // production receives only what pre-production ran (the promotion rule verify checks).
  const release = async (c: ChangeDoc, tag: string, when: number) => {
    const digest = demoDigest(tag);
    for (const [i, [name, environment]] of STAGE_OVERLAYS.entries()) {
      const content = setImage(overlays.get(name) ?? "", ODOO, { tag, digest });
      overlays.set(name, content);
      await put(
        who(c.implementer.email),
        [{ path: overlayPath(name), content }],
        messageWithTrailers(`Release ${c.id} to ${environment}: ${ODOO}:${tag}@${digest}`, [["Change-Request", c.id]]),
        at(when - (STAGE_OVERLAYS.length - 1 - i) * 10 * 60_000),
      );
    }
  };

  // Every other demo change past draft, in the state the register seeds it. Told first, so the six stories below keep
  // the branch's tip (production runs CHG-5's hotfix, which the cluster tests and the drift view start from).
  await tellDemoStories({
    change,
    windowOf,
    startOf: (c) => abs(Date.parse(demoWindow(c).start)),
    iso,
    submit,
    decide,
    release,
    inBlackout: (plants, when) => plants.some((p) => inBlackout(p, calendars, t0 + when)),
    commit: async (email, files, message, when) => {
      await put(who(email), files, message, at(when));
    },
  });

  // The released change: approved days before its window, released an hour into it (inside the window verify judges).
  const s1 = startOf(1);
  const c1 = change(1, {
    title: "Switch Berlin pick routes to two-step",
    window: windowOf(1),
    artifact: { image: ODOO, tag: "17.0-20261120", digest: demoDigest("17.0-20261120") },
  });
  const d1 = await submit(c1, s1 - 3 * D);
  // Its pre-production gates, as the demo register seeds them (the fourth demo change): signed files with their logs.
  const recorder = { ...person("ana.ortiz@plant.example"), role: "plant-ops-leader" };
  const waiver = { ...person("sofia.rossi@plant.example"), role: "change-manager" };
  for (const g of demoGateCommits(
    c1,
    DEMO_CHANGES.findIndex((x) => x.number === 1),
    recorder,
    waiver,
    iso(s1 - 3 * D + 2 * H),
  ))
    await put(who(g.signer.email), g.files, g.message, at(s1 - 3 * D + 2 * H));
  await decide(c1, d1, "raj.patel@plant.example", "cab-member", s1 - 2 * D);
  await decide(c1, d1, "kenji.sato@plant.example", "cab-member", s1 - 2 * D + H);
  await decide(c1, d1, "ana.ortiz@plant.example", "plant-ops-leader", s1 - 2 * D + 2 * H);
  if (inBlackout("berlin", calendars, t0 + s1 + H))
    throw new AppError("internal", "The demo's released change would be released in a Berlin blackout.");
  await release(c1, "17.0-20261120", s1 + H);

  const c2 = change(2, {
    title: "New MRP reorder rules for Berlin and Chicago",
    risk: "medium",
    area: "mrp",
    plants: ["berlin", "chicago"],
    window: windowOf(2),
    artifact: { image: ODOO, tag: "17.0-20261204", digest: demoDigest("17.0-20261204") },
  });
  const d2 = await submit(c2, -2 * D, true);
  await decide(c2, d2, "sofia.rossi@plant.example", "change-manager", -D);
  await decide(c2, d2, "ana.ortiz@plant.example", "plant-ops-leader", -D + H);

  const c3 = change(3, {
    title: "Add lot label field to Pune barcode report",
    risk: "low",
    area: "reporting",
    plants: ["pune"],
    window: windowOf(3),
  });
  await submit(c3, -3 * H, true);

  const c4 = change(4, {
    title: "Change accounting posting of scrap during month-end",
    area: "accounting",
    plants: ["chicago"],
    window: windowOf(4),
  });
  const d4 = await submit(c4, -4 * D);
  // Chicago's only plant-ops-leader says no: no one else can fill that rule, so the quorum is defeated (rejected).
  await decide(c4, d4, "marcus.reed@plant.example", "plant-ops-leader", -3 * D, { reject: true });

  // The emergency: break-glass from half an hour before its window, logged twenty minutes before that, released at
  // the window's start; the register seeds its exception with the same times (demo-seed.ts seedException).
  const s5 = startOf(5);
  const c5 = change(5, {
    title: "Hotfix: scanners reject supplier lot numbers",
    type: "emergency",
    area: "barcode",
    plants: ["pune"],
    requester: person("priya.nair@plant.example"),
    window: windowOf(5),
    artifact: { image: ODOO, tag: "17.0-20261127-hotfix1", digest: demoDigest("17.0-20261127-hotfix1") },
  });
  const d5 = await submit(c5, s5 - H);
  await put(
    who("raj.patel@plant.example"),
    [
      {
        path: `changes/${c5.id}/exception.yaml`,
        content: writeException({
          change: c5.id,
          justification: DEMO_EMERGENCY.justification,
          incident: DEMO_EMERGENCY.incident,
          breakGlass: { start: iso(s5 - 30 * 60_000), end: iso(s5 + 2 * H) },
          loggedBy: { ...person("raj.patel@plant.example"), role: "it-manager" },
          loggedAt: iso(s5 - 50 * 60_000),
        }),
      },
    ],
    messageWithTrailers(`Emergency exception for ${c5.id}`, [["Change-Request", c5.id]]),
    at(s5 - 50 * 60_000),
  );
  // Raj logged it, so he may not decide it (emergencyLoggerMayApprove: false): Kenji is the other it-manager.
  await decide(c5, d5, "kenji.sato@plant.example", "it-manager", s5 - 40 * 60_000);
  await decide(c5, d5, "marcus.reed@plant.example", "plant-ops-leader", s5 - 35 * 60_000);
  // Each stage inside the window: qa and pre-production ten and twenty minutes before production.
  await release(c5, "17.0-20261127-hotfix1", s5 + 25 * 60_000);

  const c6 = change(6, {
    title: "Add stock valuation layer index (migration)",
    area: "platform",
    plants: ["berlin"],
    dbMigration: true,
    window: windowOf(6),
    artifact: { image: ODOO, tag: "17.0-20261203", digest: demoDigest("17.0-20261203") },
  });
  const d6 = await submit(c6, -5 * D);
  // Approved and next to be released: its pre-production gates are in the repository too, as the register seeds them.
  const index6 = DEMO_CHANGES.findIndex((x) => x.number === 6);
  for (const g of demoGateCommits(c6, index6, recorder, waiver, iso(-5 * D + 2 * H)))
    await put(who(g.signer.email), g.files, g.message, at(-5 * D + 2 * H));
  await decide(c6, d6, "dana.kim@plant.example", "dba", -4 * D, { scope: "db-migration" });
  await decide(c6, d6, "sofia.rossi@plant.example", "cab-member", -4 * D + H);
  await decide(c6, d6, "raj.patel@plant.example", "cab-member", -4 * D + 2 * H);
  await decide(c6, d6, "ana.ortiz@plant.example", "plant-ops-leader", -4 * D + 3 * H);

  await fast.finish();
  await pushBranch(repo);
  await git(ctx, repo.dir, ["branch", "--quiet", "--set-upstream-to=origin/main"]).catch(() => undefined);
  await pinTrustRoot(repo);
  // Pushed to the staging remote; origin now names where that remote will be once the folder is renamed.
  await git(ctx, repo.dir, ["remote", "set-url", "origin", paths.gitopsDemoRemote]);
  return {
    remote: paths.gitopsDemoRemote,
    repo: { ...repo, dir: paths.gitopsWorkingCopy },
    keysDir: paths.keys,
    signers,
    changes: [
      { id: c1.id, state: "released" },
      { id: c2.id, state: "needs the Chicago plant-ops-leader" },
      { id: c3.id, state: "submitted" },
      { id: c4.id, state: "rejected" },
      { id: c5.id, state: "emergency released, review overdue" },
      { id: c6.id, state: "approved with db migration" },
      ...DEMO_CHANGES.filter((c) => (c.number ?? 0) > 6).map((c) => ({
        id: change(c.number ?? 0, { title: c.title, window: windowOf(c.number ?? 0) }).id,
        state: c.status,
      })),
    ],
  };
}
