import { AppError } from "../../../shared/contract/index";
import type { MeetingMethodName } from "../../../shared/contract/methods/meeting";
import type { SignAs } from "../approvals/sign-as";
import type { HandlerContext, Handlers } from "../dispatch";
import { outboxOf } from "../gitops/outbox-registry";
import { identityActorResolver, osActor } from "../register/actor";
import type { RegisterAuditInput } from "../register/audit";
import type { CoreServices } from "../services";
import type { SelfCall } from "./core-call";
import { signAsAttendee } from "./decide";
import { currentIdentity, lookupPeople } from "./people";
import { agendaCandidates, horizonEnd, readMeeting } from "./read";
import {
  attendeeRows,
  earlierDeferrals,
  insertDecision,
  insertItem,
  insertMeeting,
  itemRow,
  itemRows,
  listMeetingRows,
  markLeft,
  meetingRow,
  openMeetingId,
  openMeetingRow,
  startTimer,
  stopTimer,
  upsertAttendee,
} from "./store";
import { endAndPublish } from "./travel";

/** Handlers for the `meeting.*` methods: CAB meeting state in the register, decisions through approvals. */
export function meetingHandlers(
  services: CoreServices,
  self: SelfCall,
  sign: SignAs,
): Pick<Handlers, MeetingMethodName> {
  const db = services.register.db;
  const { call, attempt } = self;
  const read = (ctx: HandlerContext, id: string) => readMeeting(db, call, attempt, ctx.door, id, ctx.clock.now());
  const actorOf = async (ctx: HandlerContext) => (await currentIdentity(attempt, ctx.door))?.email ?? undefined;
  const changed = (ctx: HandlerContext, id: string) => ctx.emit("register.changed", { entity: "meeting", id });
  // Audit rows name who acted when the meeting knows it (the signer, the chair's identity).
  const audit = (ctx: HandlerContext, entry: RegisterAuditInput) => ctx.audit(entry);

  return {
    "meeting.agenda": {
      async: async ({ horizonDays }, ctx) => {
        const end = horizonEnd(ctx.clock.now(), horizonDays);
        const items = await agendaCandidates(call, ctx.door, end);
        const deferrals = items
          .map((c) => [c.id, earlierDeferrals(db, c.id, null)] as const)
          .filter(([, list]) => list.length > 0);
        return { horizonEnd: end.toISOString(), items, earlierDeferrals: Object.fromEntries(deferrals) };
      },
    },
    "meeting.start": {
      async: async ({ title, horizonDays, attendees }, ctx) => {
        const now = ctx.clock.now();
        const end = horizonEnd(now, horizonDays);
        const agenda = await agendaCandidates(call, ctx.door, end);
        const people = await lookupPeople(attempt, ctx.door, [...new Set(attendees.map((a) => a.toLowerCase()))]);
        const actor = await actorOf(ctx);
        const id = services.ids.next(now);
        const at = now.toISOString();
        const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: services.timeZone }).format(now);
        ctx.transact(() => {
          if (openMeetingId(db) !== null) {
            throw new AppError("conflict", "A CAB meeting is already open; end it before starting another.");
          }
          insertMeeting(db, {
            id,
            title: title ?? `CAB meeting ${day}`,
            chair: actor ?? people[0]?.email ?? "unknown",
            time_zone: services.timeZone,
            started_at: at,
            horizon_end: end.toISOString(),
          });
          for (const p of people) upsertAttendee(db, id, p, at);
          for (const [i, c] of agenda.entries()) insertItem(db, id, c, i + 1, false, at);
          audit(ctx, {
            action: "meeting.start",
            entity: "meeting",
            entityId: id,
            after: { agenda: agenda.map((c) => c.id), attendees: people.map((p) => p.email), horizonEnd: end },
            actor,
          });
        });
        changed(ctx, id);
        return read(ctx, id);
      },
    },
    "meeting.current": {
      async: async (_input, ctx) => {
        const id = openMeetingId(db);
        return id === null ? null : read(ctx, id);
      },
    },
    "meeting.get": { async: async ({ id }, ctx) => read(ctx, id) },
    "meeting.list": () =>
      listMeetingRows(db).map((r) => ({
        id: r.id,
        title: r.title,
        status: r.status,
        startedAt: r.started_at,
        endedAt: r.ended_at,
        items: r.items,
        decisions: r.decisions,
      })),
    "meeting.attend": {
      async: async ({ id, email, present }, ctx) => {
        const [person] = await lookupPeople(attempt, ctx.door, [email]);
        const at = ctx.clock.now().toISOString();
        ctx.transact(() => {
          openMeetingRow(db, id);
          if (person && present) upsertAttendee(db, id, person, at);
          else markLeft(db, id, email.toLowerCase(), at);
          ctx.audit({ action: "meeting.attend", entity: "meeting", entityId: id, after: { email, present } });
        });
        changed(ctx, id);
        return read(ctx, id);
      },
    },
    "meeting.timer": {
      async: async ({ id, changeId, action }, ctx) => {
        const now = ctx.clock.now();
        ctx.transact(() => {
          openMeetingRow(db, id);
          const target = itemRow(db, id, changeId);
          // One clock runs at a time: talking about one item is not talking about another.
          for (const item of itemRows(db, id)) stopTimer(db, id, item, now);
          if (action === "start") startTimer(db, id, target.change_id, now);
          audit(ctx, { action: "meeting.timer", entity: "meeting", entityId: id, after: { changeId, action } });
        });
        return read(ctx, id);
      },
    },
    "meeting.decide": {
      async: async ({ id, changeId, decision, keyFile, passphrase, meaning, reason }, ctx) => {
        const row = openMeetingRow(db, id);
        itemRow(db, id, changeId);
        // The attendee signs as themself for these calls only; the laptop's selected key is never switched.
        const signed = await signAsAttendee(sign, ctx, {
          changeId,
          decision,
          keyFile,
          passphrase,
          meaning: meaning ?? `${decision === "approved" ? "Approved" : "Rejected"} at ${row.title}`,
          attendees: attendeeRows(db, id),
        });
        const now = ctx.clock.now();
        const decisionId = services.ids.next(now);
        ctx.transact(() => {
          insertDecision(db, id, {
            id: decisionId,
            changeId,
            kind: decision,
            by: signed.signer,
            reason: reason ?? null,
            signatures: signed.signatures,
            quorum: signed.quorum,
            statusAfter: signed.statusAfter,
            at: now.toISOString(),
          });
          audit(ctx, {
            action: "meeting.decide",
            entity: "meeting",
            entityId: id,
            after: { changeId, decision, approvals: signed.signatures.map((s) => s.approvalId) },
            reason: reason ?? null,
            actor: signed.signer.email,
          });
        });
        changed(ctx, id);
        if (signed.failure) throw signed.failure;
        return read(ctx, id);
      },
    },
    "meeting.defer": {
      async: async ({ id, changeId, reason, by }, ctx) => {
        const row = openMeetingRow(db, id);
        itemRow(db, id, changeId);
        const holder = await actorOf(ctx);
        const email = by ?? holder ?? row.chair;
        const [person] = await lookupPeople(attempt, ctx.door, [email]);
        const now = ctx.clock.now();
        ctx.transact(() => {
          insertDecision(db, id, {
            id: services.ids.next(now),
            changeId,
            kind: "deferred",
            by: { email: person?.email ?? email, name: person?.name ?? email },
            reason,
            signatures: [],
            quorum: null,
            statusAfter: null,
            at: now.toISOString(),
          });
          // The act is the proved key holder's; with no key chosen, the chair who runs the meeting (never `by`,
          // which is only a name the caller typed).
          audit(ctx, {
            action: "meeting.defer",
            entity: "meeting",
            entityId: id,
            after: { changeId },
            reason,
            actor: holder ?? row.chair,
          });
        });
        // The change's own page says it was deferred and why, for whoever opens it next week.
        await attempt("change.comment", { id: changeId, body: `Deferred at ${row.title}: ${reason}` }, ctx.door);
        changed(ctx, id);
        return read(ctx, id);
      },
    },
    "meeting.takeUp": {
      async: async ({ id, changeId }, ctx) => {
        const row = openMeetingRow(db, id);
        const eligible = await agendaCandidates(call, ctx.door, new Date(row.horizon_end));
        const change = eligible.find((c) => c.id === changeId);
        if (!change) throw new AppError("not-found", "That change is not awaiting approval in this meeting's window.");
        const at = ctx.clock.now().toISOString();
        ctx.transact(() => {
          const items = itemRows(db, id);
          if (items.some((i) => i.change_id === changeId)) return;
          insertItem(db, id, change, items.length + 1, true, at);
          ctx.audit({ action: "meeting.takeUp", entity: "meeting", entityId: id, after: { changeId, late: true } });
        });
        changed(ctx, id);
        return read(ctx, id);
      },
    },
    "meeting.note": {
      async: async ({ id, changeId, notes }, ctx) => {
        ctx.transact(() => {
          openMeetingRow(db, id);
          if (changeId === undefined) {
            db.prepare("UPDATE meetings SET notes = ? WHERE id = ?").run(notes, id);
          } else {
            itemRow(db, id, changeId);
            db.prepare("UPDATE meeting_items SET notes = ? WHERE meeting_id = ? AND change_id = ?").run(
              notes,
              id,
              changeId,
            );
          }
          ctx.audit({ action: "meeting.note", entity: "meeting", entityId: id, after: { changeId, notes } });
        });
        return read(ctx, id);
      },
    },
    "meeting.end": {
      async: async ({ id }, ctx) => {
        const now = ctx.clock.now();
        const chair = meetingRow(db, id).chair;
        const [person] = await lookupPeople(attempt, ctx.door, [chair]).catch(() => []);
        const publish = {
          db,
          outbox: outboxOf(services),
          proved: identityActorResolver(db, osActor())(undefined, "web"),
          chairName: person?.name ?? chair,
        };
        // The chair's record of the meeting travels as their signed file, its intent in the transaction that ends it.
        await endAndPublish(publish, chair, (written) =>
          ctx.transact(() => {
            openMeetingRow(db, id);
            for (const item of itemRows(db, id)) stopTimer(db, id, item, now);
            db.prepare("UPDATE meetings SET status = 'ended', ended_at = ? WHERE id = ?").run(now.toISOString(), id);
            ctx.audit({ action: "meeting.end", entity: "meeting", entityId: id, after: { endedAt: now } });
            written(id);
          }),
        );
        changed(ctx, id);
        return read(ctx, id);
      },
    },
  };
}
