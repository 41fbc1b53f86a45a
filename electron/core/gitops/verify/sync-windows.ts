import { parse } from "yaml";
import {
  type ArgoSyncWindow,
  argoSyncWindows,
  cronFirings,
  DAY,
  ianaZone,
  isShiftgateWindow,
  type PlantWindowsInput,
  parseCron,
  parsePlantCalendar,
  wallToInstant,
  type ZoneRules,
} from "../../../../shared/domain/calendar/index";
import type { Policy } from "../../../../shared/domain/policy/index";
import { parseDuration } from "../../cluster/sync-windows";
import { type GitContext, git } from "../git";
import { type Finding, finding } from "./findings";
import type { ObjectReader } from "./object-reader";

/** How far ahead published windows must still match the calendars (a month's republish and a margin). */
const STALE_WINDOW_DAYS = 35;

type Window = Pick<ArgoSyncWindow, "kind" | "schedule" | "duration" | "timeZone"> & {
  readonly applications?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly clusters?: readonly string[];
  readonly description?: string;
};

// One lane per kind and selectors: a window for one plant's applications does not stand in for another's.
const laneOf = (w: Window) =>
  JSON.stringify([
    w.kind,
    [...(w.applications ?? [])].sort(),
    [...(w.namespaces ?? [])].sort(),
    [...(w.clusters ?? [])].sort(),
  ]);

/** The instants the windows hold over [from, to), per lane, merged: what Argo CD would enforce, read on its wall clock. */
function coverage(windows: readonly Window[], from: number, to: number): Map<string, [number, number][]> {
  const lanes = new Map<string, [number, number][]>();
  for (const w of windows) {
    const cron = parseCron(w.schedule);
    const length = parseDuration(w.duration);
    if (!cron || length === null) continue;
    let zone: ZoneRules;
    try {
      zone = ianaZone(w.timeZone || "UTC");
    } catch {
      continue; // Argo CD itself falls back to UTC; such a window is not Shiftgate's to judge.
    }
    const list = lanes.get(laneOf(w)) ?? [];
    // Firings from before `from` still reach into it when long enough.
    for (const f of cronFirings(cron, from - length - 2 * DAY, to + 2 * DAY)) {
      const start = Math.max(from, wallToInstant(zone, f));
      const end = Math.min(to, wallToInstant(zone, f + length));
      if (end > start) list.push([start, end]);
    }
    lanes.set(laneOf(w), list);
  }
  for (const [key, list] of lanes) {
    list.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [s, e] of list) {
      const last = merged[merged.length - 1];
      if (last && s <= last[1]) last[1] = Math.max(last[1], e);
      else merged.push([s, e]);
    }
    lanes.set(key, merged);
  }
  return lanes;
}

/** The AppProjects at `rev` that hold windows Shiftgate wrote, with their paths. */
async function publishedProjects(ctx: GitContext, repo: string, rev: string, reader: ObjectReader) {
  const listed = await git(ctx, repo, ["ls-tree", "-r", "--name-only", rev], { doing: "list the repository" });
  const paths = listed.stdout
    .split("\n")
    .filter((p) => /\.ya?ml$/.test(p) && !p.startsWith("changes/") && !p.startsWith(".shiftgate/"));
  const blobs = await reader.readMany(paths.map((p) => `${rev}:${p}`));
  const out: { path: string; windows: Window[] }[] = [];
  for (const [i, blob] of blobs.entries()) {
    if (!blob?.includes("AppProject")) continue;
    let doc: unknown;
    try {
      doc = parse(blob.toString("utf8"));
    } catch {
      continue;
    }
    const project = doc as { kind?: unknown; spec?: { syncWindows?: unknown } } | null;
    if (project?.kind !== "AppProject" || !Array.isArray(project.spec?.syncWindows)) continue;
    const ours = (project.spec.syncWindows as Window[]).filter((w) => w && isShiftgateWindow(w));
    if (ours.length > 0) out.push({ path: paths[i] ?? "", windows: ours });
  }
  return out;
}

/**
 * `sync-windows-stale`: an AppProject holding Shiftgate's sync windows that no longer enforce the plants' calendars
 * (as the policy scopes them) over the coming days: a calendar changed and nobody republished, or the per-instance
 * entries ran out. Repositories that never published windows are not judged.
 */
export async function staleWindowFindings(options: {
  readonly ctx: GitContext;
  readonly repo: string;
  readonly rev: string;
  readonly tip: string;
  readonly reader: ObjectReader;
  readonly policy: Policy | null;
  readonly now: Date;
}): Promise<Finding[]> {
  const { policy, reader, rev } = options;
  if (!policy) return [];
  const projects = await publishedProjects(options.ctx, options.repo, rev, reader);
  if (projects.length === 0) return [];
  const plants = policy.plants ?? [];
  const texts = await reader.readMany(plants.map((p) => `${rev}:.shiftgate/calendars/${p.id}.ics`));
  const inputs: PlantWindowsInput[] = [];
  for (const [i, p] of plants.entries()) {
    const text = texts[i];
    if (!text) continue;
    try {
      const calendar = parsePlantCalendar(text.toString("utf8"), { file: `${p.id}.ics`, timeZone: p.timeZone });
      inputs.push({ plant: p.id, calendar, scope: p.argocd ?? null });
    } catch {
      // An unreadable calendar is judged where it is committed, not here.
    }
  }
  const now = options.now.getTime();
  const to = now + STALE_WINDOW_DAYS * DAY;
  const wanted = coverage(argoSyncWindows(inputs, now).windows, now, to);
  const out: Finding[] = [];
  for (const { path, windows } of projects) {
    const have = coverage(windows, now, to);
    const lanes = new Set([...wanted.keys(), ...have.keys()]);
    const differ = [...lanes].filter((k) => JSON.stringify(wanted.get(k) ?? []) !== JSON.stringify(have.get(k) ?? []));
    if (differ.length === 0) continue;
    const first = differ
      .map((k) => firstDifference(wanted.get(k) ?? [], have.get(k) ?? []))
      .reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    out.push(
      finding(
        options.tip,
        null,
        "sync-windows-stale",
        `The sync windows in ${path} no longer match the plant calendars from ${new Date(first).toISOString()} (checked ` +
          `${STALE_WINDOW_DAYS} days ahead): Argo CD would let syncs through blackouts or hold them outside maintenance. ` +
          "A policy-admin publishes the calendars again (Calendar → Publish, or gitops.publishCalendars).",
      ),
    );
  }
  return out;
}

function firstDifference(a: readonly [number, number][], b: readonly [number, number][]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (!x || !y) return (x ?? y)?.[0] ?? Number.POSITIVE_INFINITY;
    if (x[0] !== y[0]) return Math.min(x[0], y[0]);
    if (x[1] !== y[1]) return Math.min(x[1], y[1]);
  }
  return Number.POSITIVE_INFINITY;
}
