import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import { type ChangeDoc, writeException, writeReview } from "../../../shared/domain/policy/index";
import {
  DEMO_CHANGES,
  DEMO_REVIEW,
  type DemoChange,
  demoApproved,
  demoEmergency,
  demoWindow,
  RELEASED_STATES,
} from "../register/demo-changes";
import { DEMO_GATED_NUMBERS, demoRecorder } from "../register/demo-gate-runs";
import type { FileWrite } from "./commit";
import { messageWithTrailers } from "./commit";
import { demoGateCommits } from "./demo-gates";
import { DEMO_IMAGE, demoDigest } from "./demo-policy";

const H = 3_600_000;
const D = 24 * H;
const RAJ = "raj.patel@plant.example";
const KENJI = "kenji.sato@plant.example";
const SOFIA = "sofia.rossi@plant.example";
const DANA = "dana.kim@plant.example";

/** One signed decision of a demo story. */
interface Vote {
  readonly email: string;
  readonly role: string;
  readonly scope: "deploy" | "db-migration";
}

/** What demo.ts lends the stories: its own writers, so every change's files look alike. Times are ms from now. */
interface StoryWriters {
  readonly change: (n: number, over: Partial<ChangeDoc> & Pick<ChangeDoc, "title" | "window">) => ChangeDoc;
  readonly windowOf: (n: number) => ChangeDoc["window"];
  /** A demo change's window start, as ms from now. */
  readonly startOf: (c: DemoChange) => number;
  readonly iso: (ms: number) => string;
  /** Commits change.yaml as its requester; `asked`: with their request for approval in the same commit. */
  readonly submit: (c: ChangeDoc, when: number, asked?: boolean) => Promise<string>;
  readonly decide: (
    c: ChangeDoc,
    digest: string,
    email: string,
    role: string,
    when: number,
    opts: { scope?: "deploy" | "db-migration"; reject?: boolean; meaning?: string },
  ) => Promise<void>;
  readonly release: (c: ChangeDoc, tag: string, when: number) => Promise<void>;
  readonly commit: (email: string, files: readonly FileWrite[], message: string, when: number) => Promise<void>;
  /** Whether any of these plants' calendars has a blackout at that moment (ms from now). */
  readonly inBlackout: (plants: readonly string[], when: number) => boolean;
}

const leaderOf = (plant: string): string =>
  DEMO_PEOPLE.find((p) => p.roles.includes("plant-ops-leader") && p.plants.includes(plant))?.email ?? "";
const nameOf = (email: string): string => DEMO_PEOPLE.find((p) => p.email === email)?.name ?? email;

/** The signed decisions that meet a demo change's quorum (demo policy: approvals by risk, emergency, migration). */
function quorumVotes(c: DemoChange): Vote[] {
  const leaders = c.plants.map((p) => ({ email: leaderOf(p), role: "plant-ops-leader", scope: "deploy" as const }));
  const votes: Vote[] =
    c.type === "emergency"
      ? [
          { email: KENJI, role: "it-manager", scope: "deploy" },
          { email: leaderOf(c.plants[0] ?? ""), role: "plant-ops-leader", scope: "deploy" },
        ]
      : c.ledgerRisk === "high"
        ? [
            { email: RAJ, role: "cab-member", scope: "deploy" },
            { email: KENJI, role: "cab-member", scope: "deploy" },
            ...leaders,
          ]
        : c.ledgerRisk === "medium"
          ? [{ email: SOFIA, role: "change-manager", scope: "deploy" }, ...leaders]
          : [{ email: SOFIA, role: "change-manager", scope: "deploy" }];
  if (c.dbMigration) votes.unshift({ email: DANA, role: "dba", scope: "db-migration" });
  return votes;
}

/**
 * Tells, in the demo repository, the story of every numbered demo change past CHG-6 in the state the register seeds
 * it: change.yaml; pre-production gate files where the register has them; approvals meeting the quorum for approved
 * and later states; the DBA's alone for a migration awaiting approval; a plant leader's defeating rejection for a rejected one;
 * the emergency's exception (and, once closed, its review); and for a released state one digest promoted through
 * qa, pre-production and production inside its window. The stories run in the order of their windows, so the
 * overlays end on the latest release.
 */
export async function tellDemoStories(w: StoryWriters): Promise<void> {
  const stories = DEMO_CHANGES.map((c, index) => ({ c, index }))
    .filter(({ c }) => (c.number ?? 0) > 6)
    .sort((a, b) => w.startOf(a.c) - w.startOf(b.c));
  for (const { c, index } of stories) await tellOne(w, c, index);
}

async function tellOne(w: StoryWriters, c: DemoChange, index: number): Promise<void> {
  const n = c.number ?? 0;
  const s = w.startOf(c);
  const released = RELEASED_STATES.includes(c.status);
  // A story happens well before its window (and before now): submitted four days ahead, decided a day later; an
  // emergency an hour before its window.
  const t = c.type === "emergency" ? s - H : Math.min(s - 4 * D, -(30 - index) * H);
  const tag = `17.0-${new Date(Date.parse(demoWindow(c).start)).toISOString().slice(0, 10).replace(/-/g, "")}.${n}`;
  const doc = w.change(n, {
    title: c.title,
    type: c.type,
    risk: c.ledgerRisk ?? "low",
    area: c.area,
    plants: [...c.plants],
    environment: c.environment ?? "production",
    dbMigration: c.dbMigration ?? false,
    window: w.windowOf(n),
    ...(c.requester ? { requester: { name: nameOf(c.requester), email: c.requester } } : {}),
    ...(c.template ? { template: c.template } : {}),
    ...(demoApproved(c) || released ? { artifact: { image: DEMO_IMAGE, tag, digest: demoDigest(tag) } } : {}),
  });
  const digest = await w.submit(doc, t, c.type === "normal" && c.status === "awaiting-approval");
  if (DEMO_GATED_NUMBERS.includes(n)) {
    const r = demoRecorder(c);
    const recorder = { name: nameOf(r.email), email: r.email, role: r.role };
    const waiver = { name: nameOf(SOFIA), email: SOFIA, role: "change-manager" };
    for (const g of demoGateCommits(doc, index, recorder, waiver, w.iso(t + 2 * H)))
      await w.commit(g.signer.email, g.files, g.message, t + 2 * H);
  }
  if (c.type === "emergency") await breakGlass(w, doc, c, index, s);
  const votes = c.type === "standard" ? [] : quorumVotes(c);
  // Waiting for approval: the DBA has signed a migration, the CAB has not decided yet.
  const cast = demoApproved(c)
    ? votes
    : c.status === "awaiting-approval"
      ? votes.filter((v) => v.scope === "db-migration")
      : [];
  const decidedAt = c.type === "emergency" ? s - 40 * 60_000 : t + D;
  for (const [i, v] of cast.entries())
    await w.decide(doc, digest, v.email, v.role, decidedAt + i * 5 * 60_000, { scope: v.scope });
  if (c.status === "rejected")
    await w.decide(doc, digest, leaderOf(c.plants[0] ?? ""), "plant-ops-leader", t + D, {
      reject: true,
      meaning: `Rejected: ${c.comment ?? "not ready"}`,
    });
  // Released an hour into its window, or later in it past a blackout; an emergency under break-glass, at its start.
  if (!released) return;
  const when =
    c.type === "emergency"
      ? s + 25 * 60_000
      : ([1, 2, 3].map((h) => s + h * H).find((m) => !w.inBlackout(c.plants, m)) ?? s + H);
  await w.release(doc, tag, when);
}

// The exception Raj logs under break-glass before the window (demo-seed.ts seedException has the same times), and the
// change manager's review once the emergency is closed.
async function breakGlass(w: StoryWriters, doc: ChangeDoc, c: DemoChange, index: number, s: number): Promise<void> {
  await w.commit(
    RAJ,
    [
      {
        path: `changes/${doc.id}/exception.yaml`,
        content: writeException({
          change: doc.id,
          ...demoEmergency(c, index),
          breakGlass: { start: w.iso(s - 30 * 60_000), end: w.iso(s + 2 * H) },
          loggedBy: { name: nameOf(RAJ), email: RAJ, role: "it-manager" },
          loggedAt: w.iso(s - 50 * 60_000),
        }),
      },
    ],
    messageWithTrailers(`Emergency exception for ${doc.id}`, [["Change-Request", doc.id]]),
    s - 50 * 60_000,
  );
  if (c.status !== "closed") return;
  const at = s + DEMO_REVIEW.afterStartMs;
  await w.commit(
    DEMO_REVIEW.reviewer,
    [
      {
        path: `changes/${doc.id}/review.yaml`,
        content: writeReview({
          change: doc.id,
          outcome: DEMO_REVIEW.outcome,
          notes: DEMO_REVIEW.notes,
          reviewer: { name: nameOf(DEMO_REVIEW.reviewer), email: DEMO_REVIEW.reviewer, role: DEMO_REVIEW.role },
          reviewedAt: w.iso(at),
        }),
      },
    ],
    messageWithTrailers(`Review ${doc.id}: ${DEMO_REVIEW.outcome}`, [["Change-Request", doc.id]]),
    at,
  );
}
