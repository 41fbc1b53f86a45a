import { AppError, type ChangeStatus, type ChangeSummary } from "../../../shared/contract/index";
import type {
  EarlierDeferral,
  MeetingAttendee,
  MeetingDecision,
  MeetingDecisionKind,
  MeetingSignature,
  MeetingStatus,
} from "../../../shared/contract/methods/meeting";
import type { Db } from "../register/db";
import { stmt } from "../register/statements";

// The meeting tables of migration 0007, read and written here only.

interface MeetingRow {
  readonly id: string;
  readonly title: string;
  readonly status: MeetingStatus;
  readonly chair: string;
  readonly time_zone: string;
  readonly started_at: string;
  readonly horizon_end: string;
  readonly ended_at: string | null;
  readonly notes: string;
}

interface ItemRow {
  readonly change_id: string;
  readonly position: number;
  readonly late: number;
  readonly added_at: string;
  readonly snapshot: string;
  readonly seconds_spent: number;
  readonly timer_started_at: string | null;
  readonly notes: string;
}

interface AttendeeRow {
  readonly email: string;
  readonly name: string;
  readonly roles: string;
  readonly joined_at: string;
  readonly left_at: string | null;
}

interface DecisionRow {
  readonly id: string;
  readonly change_id: string;
  readonly kind: MeetingDecisionKind;
  readonly by_email: string;
  readonly by_name: string;
  readonly reason: string | null;
  readonly signatures: string;
  readonly quorum: string | null;
  readonly status_after: ChangeStatus | null;
  readonly at: string;
}

/** The meeting row, or not-found. */
export function meetingRow(db: Db, id: string): MeetingRow {
  const row = stmt(db, "SELECT * FROM meetings WHERE id = ?").get(id) as MeetingRow | undefined;
  if (!row) throw new AppError("not-found", `There is no meeting ${id}.`);
  return row;
}

/** The open meeting's id, or null. */
export function openMeetingId(db: Db): string | null {
  const id = stmt(db, "SELECT id FROM meetings WHERE status = 'open'").pluck().get() as string | undefined;
  return id ?? null;
}

/** The meeting row, refused with conflict when it has ended (minutes are final). */
export function openMeetingRow(db: Db, id: string): MeetingRow {
  const row = meetingRow(db, id);
  if (row.status !== "open") {
    throw new AppError("conflict", `The meeting "${row.title}" has ended; its minutes can no longer change.`);
  }
  return row;
}

export function insertMeeting(db: Db, row: Omit<MeetingRow, "ended_at" | "notes" | "status">): void {
  stmt(
    db,
    "INSERT INTO meetings (id, title, status, chair, time_zone, started_at, horizon_end) VALUES (?, ?, 'open', ?, ?, ?, ?)",
  ).run(row.id, row.title, row.chair, row.time_zone, row.started_at, row.horizon_end);
}

export function itemRows(db: Db, meetingId: string): readonly ItemRow[] {
  return stmt(db, "SELECT * FROM meeting_items WHERE meeting_id = ? ORDER BY position").all(meetingId) as ItemRow[];
}

export function itemRow(db: Db, meetingId: string, changeId: string): ItemRow {
  const row = stmt(db, "SELECT * FROM meeting_items WHERE meeting_id = ? AND change_id = ?").get(meetingId, changeId) as
    | ItemRow
    | undefined;
  if (!row) throw new AppError("not-found", `Change ${changeId} is not on this meeting's agenda.`);
  return row;
}

export function insertItem(
  db: Db,
  meetingId: string,
  change: ChangeSummary,
  position: number,
  late: boolean,
  at: string,
): void {
  stmt(
    db,
    "INSERT INTO meeting_items (meeting_id, change_id, position, late, added_at, snapshot) VALUES (?, ?, ?, ?, ?, ?)",
  ).run(meetingId, change.id, position, late ? 1 : 0, at, JSON.stringify(change));
}

/** Stops a running timer, adding the elapsed whole seconds to the item. */
export function stopTimer(db: Db, meetingId: string, item: ItemRow, now: Date): void {
  if (item.timer_started_at === null) return;
  const elapsed = Math.max(0, Math.round((now.getTime() - Date.parse(item.timer_started_at)) / 1000));
  stmt(
    db,
    "UPDATE meeting_items SET seconds_spent = seconds_spent + ?, timer_started_at = NULL WHERE meeting_id = ? AND change_id = ?",
  ).run(elapsed, meetingId, item.change_id);
}

export function startTimer(db: Db, meetingId: string, changeId: string, now: Date): void {
  stmt(db, "UPDATE meeting_items SET timer_started_at = ? WHERE meeting_id = ? AND change_id = ?").run(
    now.toISOString(),
    meetingId,
    changeId,
  );
}

export function attendeeRows(db: Db, meetingId: string): readonly MeetingAttendee[] {
  const rows = stmt(db, "SELECT * FROM meeting_attendees WHERE meeting_id = ? ORDER BY joined_at, email").all(
    meetingId,
  ) as AttendeeRow[];
  return rows.map((r) => ({
    email: r.email,
    name: r.name,
    roles: JSON.parse(r.roles) as string[],
    joinedAt: r.joined_at,
    leftAt: r.left_at,
  }));
}

export function upsertAttendee(
  db: Db,
  meetingId: string,
  person: { readonly email: string; readonly name: string; readonly roles: readonly string[] },
  at: string,
): void {
  stmt(
    db,
    `INSERT INTO meeting_attendees (meeting_id, email, name, roles, joined_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (meeting_id, email) DO UPDATE SET left_at = NULL`,
  ).run(meetingId, person.email, person.name, JSON.stringify(person.roles), at);
}

export function markLeft(db: Db, meetingId: string, email: string, at: string): void {
  stmt(db, "UPDATE meeting_attendees SET left_at = ? WHERE meeting_id = ? AND email = ?").run(at, meetingId, email);
}

export function decisionRows(db: Db, meetingId: string): readonly MeetingDecision[] {
  const rows = stmt(db, "SELECT * FROM meeting_decisions WHERE meeting_id = ? ORDER BY at, rowid").all(
    meetingId,
  ) as DecisionRow[];
  return rows.map((r) => ({
    id: r.id,
    changeId: r.change_id,
    kind: r.kind,
    by: { email: r.by_email, name: r.by_name },
    reason: r.reason,
    signatures: JSON.parse(r.signatures) as MeetingSignature[],
    quorum: r.quorum,
    statusAfter: r.status_after,
    at: r.at,
  }));
}

export function insertDecision(db: Db, meetingId: string, d: MeetingDecision): void {
  stmt(
    db,
    `INSERT INTO meeting_decisions (id, meeting_id, change_id, kind, by_email, by_name, reason, signatures, quorum, status_after, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    d.id,
    meetingId,
    d.changeId,
    d.kind,
    d.by.email,
    d.by.name,
    d.reason,
    JSON.stringify(d.signatures),
    d.quorum,
    d.statusAfter,
    d.at,
  );
}

export function listMeetingRows(db: Db): readonly (MeetingRow & { items: number; decisions: number })[] {
  return stmt(
    db,
    `SELECT m.*, (SELECT count(*) FROM meeting_items i WHERE i.meeting_id = m.id) AS items,
            (SELECT count(*) FROM meeting_decisions d WHERE d.meeting_id = m.id) AS decisions
     FROM meetings m ORDER BY m.started_at DESC LIMIT 200`,
  ).all() as (MeetingRow & { items: number; decisions: number })[];
}

/** Deferrals of a change at meetings other than `exceptMeetingId`, oldest first. */
export function earlierDeferrals(db: Db, changeId: string, exceptMeetingId: string | null): EarlierDeferral[] {
  return stmt(
    db,
    `SELECT d.meeting_id AS meetingId, m.title AS meetingTitle, d.reason AS reason, d.at AS at
     FROM meeting_decisions d JOIN meetings m ON m.id = d.meeting_id
     WHERE d.change_id = ? AND d.kind = 'deferred' AND d.meeting_id IS NOT ? ORDER BY d.at`,
  ).all(changeId, exceptMeetingId) as EarlierDeferral[];
}
