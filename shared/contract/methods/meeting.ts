import { z } from "zod";
import type { MeetingAttendee, MeetingDecision } from "../../domain/register/record-shapes";
import { boundedText, filePath, multilineText, passphraseText } from "../bounds";
import { method } from "../define";
import type { ChangeSummary } from "./register";

// ---------- output types ----------

export type {
  MeetingAttendee,
  MeetingDecision,
  MeetingDecisionKind,
  MeetingSignature,
} from "../../domain/register/record-shapes";

export type MeetingStatus = "open" | "ended";

/** An earlier meeting's deferral of the same change, so the board sees it comes back. */
export interface EarlierDeferral {
  readonly meetingId: string;
  readonly meetingTitle: string;
  readonly reason: string;
  readonly at: string;
}

/** One agenda item: the change as frozen at the start, time spent on it, decisions and notes. */
export interface MeetingItem {
  readonly changeId: string;
  readonly position: number;
  /** True when the item was taken up from the "added late" list after the agenda froze. */
  readonly late: boolean;
  readonly addedAt: string;
  /** The change as the agenda froze it. */
  readonly frozen: ChangeSummary;
  /** The change now (status moves as decisions land); null when it is gone from the register. */
  readonly current: ChangeSummary | null;
  readonly secondsSpent: number;
  /** When the item's timer is running, since when; null when stopped. */
  readonly timerStartedAt: string | null;
  readonly notes: string;
  readonly decisions: readonly MeetingDecision[];
  /** Deferrals of this change at earlier meetings, oldest first. */
  readonly earlierDeferrals: readonly EarlierDeferral[];
}

export interface Meeting {
  readonly id: string;
  readonly title: string;
  readonly status: MeetingStatus;
  readonly chair: string;
  readonly timeZone: string;
  readonly startedAt: string;
  readonly horizonEnd: string;
  readonly endedAt: string | null;
  readonly notes: string;
  readonly attendees: readonly MeetingAttendee[];
  readonly items: readonly MeetingItem[];
  /** Changes that became eligible after the agenda froze: shown, never silently added. Empty once ended. */
  readonly addedLate: readonly ChangeSummary[];
  /** The core's clock when this was read: item timers count from it, not from the viewer's clock. */
  readonly readAt: string;
}

interface MeetingListEntry {
  readonly id: string;
  readonly title: string;
  readonly status: MeetingStatus;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly items: number;
  readonly decisions: number;
}

/** The agenda a meeting would freeze if started now. */
interface AgendaPreview {
  readonly horizonEnd: string;
  readonly items: readonly ChangeSummary[];
  /** Earlier deferrals by change id (only changes that have some). */
  readonly earlierDeferrals: Readonly<Record<string, readonly EarlierDeferral[]>>;
}

// ---------- input schemas ----------

const ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "expected a ULID");
const text = boundedText;
/** A reason or note: may span lines. */
const note = (max: number) => multilineText(max, { required: true });
const horizonDays = z.number().int().min(1).max(90).default(14);

export const meetingMethods = {
  /** Changes awaiting approval whose window starts within the horizon (or have none), by window start. */
  "meeting.agenda": method<AgendaPreview>()({
    input: z.object({ horizonDays }).strict(),
    mutates: false,
  }),
  /** Starts a meeting and freezes its agenda; refused while another meeting is open. */
  "meeting.start": method<Meeting>()({
    input: z
      .object({
        title: text(200).optional(),
        horizonDays,
        /** People present at the start (e-mails of the policy's people); more can join later. */
        attendees: z.array(z.email().max(200)).min(1).max(50),
      })
      .strict(),
    mutates: true,
  }),
  /** The open meeting, or null. */
  "meeting.current": method<Meeting | null>()({ input: z.object({}).strict(), mutates: false }),
  "meeting.get": method<Meeting>()({ input: z.object({ id: ulid }).strict(), mutates: false }),
  "meeting.list": method<readonly MeetingListEntry[]>()({ input: z.object({}).strict(), mutates: false }),
  /** Someone joins (present true) or leaves the meeting. */
  "meeting.attend": method<Meeting>()({
    input: z.object({ id: ulid, email: z.email().max(200), present: z.boolean() }).strict(),
    mutates: true,
  }),
  /** Starts or stops an item's timer; starting one stops any other running timer. */
  "meeting.timer": method<Meeting>()({
    input: z.object({ id: ulid, changeId: ulid, action: z.enum(["start", "stop"]) }).strict(),
    mutates: true,
  }),
  /**
   * Approves or rejects an item, signed by a person present with their own key: the core switches to the
   * signer's key for the signature (re-authenticating with the passphrase) and back to the previous one.
   */
  "meeting.decide": method<Meeting>()({
    input: z
      .object({
        id: ulid,
        changeId: ulid,
        decision: z.enum(["approved", "rejected"]),
        /** The signer's key file (identity.demoKeys lists the demo people's). */
        keyFile: filePath,
        passphrase: passphraseText.default(""),
        meaning: text(500).optional(),
        reason: note(2_000).optional(),
      })
      .strict(),
    mutates: true,
  }),
  /** Defers an item to a later meeting: a meeting-level decision with a reason, no approval signature. */
  "meeting.defer": method<Meeting>()({
    input: z.object({ id: ulid, changeId: ulid, reason: note(2_000), by: z.email().max(200).optional() }).strict(),
    mutates: true,
  }),
  /** Takes a change from the "added late" list into the agenda, marked late. */
  "meeting.takeUp": method<Meeting>()({
    input: z.object({ id: ulid, changeId: ulid }).strict(),
    mutates: true,
  }),
  /** Replaces the notes of the meeting (no changeId) or of one item. */
  "meeting.note": method<Meeting>()({
    input: z.object({ id: ulid, changeId: ulid.optional(), notes: multilineText(20_000) }).strict(),
    mutates: true,
  }),
  /** Ends the meeting: stops timers; the minutes are final from here on. */
  "meeting.end": method<Meeting>()({ input: z.object({ id: ulid }).strict(), mutates: true }),
} as const;

export type MeetingMethodName = keyof typeof meetingMethods;
