import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChangeSummary } from "../../../shared/contract/index";
import { type MeetingDoc, meetingPath, parseMeeting, writeMeeting } from "../../../shared/domain/policy/meeting-file";
import type { HandlerContext } from "../dispatch";
import { messageWithTrailers } from "../gitops/commit";
import type { GitContext } from "../gitops/git";
import type { Outbox } from "../gitops/outbox";
import type { OutboxIntent } from "../gitops/outbox-store";
import { signedFileCommit } from "../gitops/repo-approvals";
import { minutesAgree, minutesSha256 } from "../gitops/verify/minutes";
import { selectedKey } from "../identity/identity";
import { signingKey } from "../identity/key-ref";
import type { Trust } from "../identity/trust";
import type { RegisterAuditInput } from "../register/audit";
import type { Db } from "../register/db";
import { changeIdOfNumber, numberOfChange } from "../register/ledger-reads";
import { attendeeRows, decisionRows, insertDecision, itemRows, meetingRow, upsertAttendee } from "./store";

/** The record of an ended meeting as it travels: items of changes in the repository, named by their numbers. */
function meetingDoc(db: Db, id: string): MeetingDoc {
  const row = meetingRow(db, id);
  const decisions = decisionRows(db, id);
  const items = itemRows(db, id).flatMap((r) => {
    const change = numberOfChange(db, r.change_id);
    if (!change) return [];
    return [
      {
        change,
        position: r.position,
        late: r.late === 1,
        addedAt: r.added_at,
        secondsSpent: r.seconds_spent,
        notes: r.notes,
        frozen: JSON.parse(r.snapshot) as ChangeSummary,
        decisions: decisions.filter((d) => d.changeId === r.change_id).map(({ changeId: _, ...d }) => d),
      },
    ];
  });
  const doc: MeetingDoc = {
    id: row.id,
    title: row.title,
    chair: row.chair,
    timeZone: row.time_zone,
    startedAt: row.started_at,
    endedAt: row.ended_at ?? "",
    notes: row.notes,
    attendees: attendeeRows(db, id),
    items,
    minutesSha256: null,
  };
  // The hash of the canonical minutes (docs/gitops-repo.md): any laptop, CI or auditor recomputes it from the record.
  return { ...doc, minutesSha256: minutesSha256(doc) };
}

/**
 * When the chair ends a meeting holding their proved key, the meeting's record is committed as
 * `meetings/<date>-<id>.yaml` signed by the chair, its outbox intent in the transaction that ends the meeting. A
 * meeting chaired under another name (or with no repository) stays on this laptop. Returns the ended transaction's value.
 */
export async function endAndPublish<T>(
  deps: { readonly db: Db; readonly outbox: Outbox | null; readonly proved: string; readonly chairName: string },
  chair: string,
  transaction: (written: (id: string) => void) => T,
): Promise<T> {
  const key = selectedKey(deps.db);
  if (!deps.outbox || !key || deps.proved.toLowerCase() !== chair.toLowerCase()) return transaction(() => undefined);
  const signer = { name: deps.chairName, email: chair, key: signingKey(key, "") };
  let intent: OutboxIntent | null = null;
  const done = await deps.outbox.recordThenCommit(
    () => {
      if (!intent) throw new Error("the meeting transaction wrote no meeting");
      return intent;
    },
    (write) =>
      transaction((id) => {
        const doc = meetingDoc(deps.db, id);
        const subject = `CAB meeting ${doc.startedAt.slice(0, 10)}: ${doc.items.length} item(s)`;
        intent = {
          // A board's record, like a review: no outbox kind of its own (that would need a migration).
          kind: "review",
          changeNumber: null,
          subject,
          files: [{ path: meetingPath(doc), content: writeMeeting(doc) }],
          message: messageWithTrailers(subject, [
            ["Meeting", doc.id],
            ["Chaired-by", `${deps.chairName} <${chair}>`],
          ]),
          signer,
        };
        write();
      }),
  );
  return done.value;
}

/**
 * Meetings other laptops closed (meetings/*.yaml) become ended meetings in this register, with their attendees,
 * items and decisions, so every laptop lists the same meetings. A file counts only when the commit that last wrote
 * it is signed by the key of the chair it names; a meeting this register already holds is not taken twice.
 */
export async function importRepoMeetings(
  db: Db,
  trust: Trust,
  ctx: HandlerContext,
  gitCtx: GitContext,
): Promise<string[]> {
  const repoDir = trust.repoDir;
  const folder = repoDir ? join(repoDir, "meetings") : "";
  const imported: string[] = [];
  if (!repoDir || !existsSync(folder)) return imported;
  const known = db.prepare("SELECT 1 FROM meetings WHERE id = ?").pluck();
  const idOf = { get: (number: string) => changeIdOfNumber(db, number, { live: true }) };
  for (const name of readdirSync(folder).sort()) {
    const path = `meetings/${name}`;
    if (!name.endsWith(".yaml")) continue;
    let doc: MeetingDoc;
    try {
      doc = parseMeeting(readFileSync(join(folder, name), "utf8"), path);
    } catch {
      continue;
    }
    // A record whose minutes do not hash to its minutesSha256 was changed after they were taken: verify reports it.
    if (known.get(doc.id) || meetingPath(doc) !== path || !minutesAgree(doc)) continue;
    const signed = await signedFileCommit(repoDir, path, doc.chair, trust, gitCtx);
    if (!signed) continue;
    ctx.transact(() => {
      db.prepare(
        `INSERT INTO meetings (id, title, status, chair, time_zone, started_at, horizon_end, ended_at, notes)
         VALUES (?, ?, 'ended', ?, ?, ?, ?, ?, ?)`,
      ).run(doc.id, doc.title, doc.chair, doc.timeZone, doc.startedAt, doc.startedAt, doc.endedAt, doc.notes);
      for (const a of doc.attendees) {
        upsertAttendee(db, doc.id, a, a.joinedAt);
        if (a.leftAt)
          db.prepare("UPDATE meeting_attendees SET left_at = ? WHERE meeting_id = ? AND email = ?").run(
            a.leftAt,
            doc.id,
            a.email,
          );
      }
      for (const item of doc.items) {
        // The change as this register knows it by number; one it does not hold keeps the chair's id (shown as gone).
        const changeId = idOf.get(item.change) ?? item.frozen.id;
        db.prepare(
          `INSERT INTO meeting_items (meeting_id, change_id, position, late, added_at, snapshot, seconds_spent, notes)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          doc.id,
          changeId,
          item.position,
          item.late ? 1 : 0,
          item.addedAt,
          JSON.stringify({ ...item.frozen, id: changeId }),
          item.secondsSpent,
          item.notes,
        );
        for (const d of item.decisions) insertDecision(db, doc.id, { ...d, changeId });
      }
      const entry: RegisterAuditInput = {
        action: "meeting.import",
        entity: "meeting",
        entityId: doc.id,
        after: { path, chair: doc.chair, items: doc.items.map((i) => i.change), commit: signed.commit },
        reason: "Closed on another laptop; imported from the GitOps repository",
        // An automatic step of sync: the evidence is the chair's signed file named above.
        actor: "system:gitops",
      };
      ctx.audit(entry);
    });
    imported.push(path);
  }
  return imported;
}
