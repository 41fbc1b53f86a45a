import type { ChangeSummary } from "../../../shared/contract/index";
import type { Meeting, MeetingItem } from "../../../shared/contract/methods/meeting";
import type { Door } from "../dispatch";
import type { Db } from "../register/db";
import type { CoreCall, TryCall } from "./core-call";
import { attendeeRows, decisionRows, earlierDeferrals, itemRows, meetingRow } from "./store";

const DAY = 86_400_000;

/** When the agenda's horizon ends for a meeting starting at `now`. */
export function horizonEnd(now: Date, days: number): Date {
  return new Date(now.getTime() + days * DAY);
}

/**
 * The changes a CAB meeting decides: awaiting approval, with a window starting before the horizon end (past
 * windows included: a change still waiting after its slot is the first thing the board must see), then
 * changes without a window. Ordered by window start, then by title for a stable agenda.
 */
export async function agendaCandidates(call: CoreCall, door: Door, end: Date): Promise<ChangeSummary[]> {
  const items: ChangeSummary[] = [];
  for (let page = 1; page <= 20; page++) {
    const result = await call(
      "change.list",
      { status: ["awaiting-approval"], sort: { field: "windowStart", dir: "asc" }, page, pageSize: 500 },
      door,
    );
    items.push(...result.items);
    if (items.length >= result.total || result.items.length === 0) break;
  }
  const limit = end.getTime();
  const startOf = (c: ChangeSummary) => (c.window ? Date.parse(c.window.start) : Number.POSITIVE_INFINITY);
  return items
    .filter((c) => c.window === null || Date.parse(c.window.start) < limit)
    .sort((a, b) => startOf(a) - startOf(b) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}

async function currentOf(attempt: TryCall, door: Door, id: string): Promise<ChangeSummary | null> {
  const result = await attempt("change.get", { id }, door);
  return result.ok ? result.value : null;
}

/** Loads a meeting with its items' current state and, while open, the changes that became eligible late. */
export async function readMeeting(
  db: Db,
  call: CoreCall,
  attempt: TryCall,
  door: Door,
  id: string,
  now: Date,
): Promise<Meeting> {
  const row = meetingRow(db, id);
  const decisions = decisionRows(db, id);
  const rows = itemRows(db, id);
  const items: MeetingItem[] = [];
  for (const r of rows) {
    items.push({
      changeId: r.change_id,
      position: r.position,
      late: r.late === 1,
      addedAt: r.added_at,
      frozen: JSON.parse(r.snapshot) as ChangeSummary,
      current: await currentOf(attempt, door, r.change_id),
      secondsSpent: r.seconds_spent,
      timerStartedAt: r.timer_started_at,
      notes: r.notes,
      decisions: decisions.filter((d) => d.changeId === r.change_id),
      earlierDeferrals: earlierDeferrals(db, r.change_id, id),
    });
  }
  let addedLate: ChangeSummary[] = [];
  if (row.status === "open") {
    const onAgenda = new Set(rows.map((r) => r.change_id));
    const eligible = await agendaCandidates(call, door, new Date(row.horizon_end));
    addedLate = eligible.filter((c) => !onAgenda.has(c.id));
  }
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    chair: row.chair,
    timeZone: row.time_zone,
    startedAt: row.started_at,
    horizonEnd: row.horizon_end,
    endedAt: row.ended_at,
    notes: row.notes,
    attendees: attendeeRows(db, id),
    items,
    addedLate,
    readAt: now.toISOString(),
  };
}
