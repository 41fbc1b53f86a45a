import { parse, stringify } from "yaml";
import type { ChangeSummary, MeetingAttendee, MeetingDecision } from "../register/record-shapes";

/** One decision a CAB meeting took on an item, by whom, and the signatures behind it (deferrals have none). */
type MeetingFileDecision = Omit<MeetingDecision, "changeId">;

/**
 * A closed CAB meeting as it travels: `meetings/<date>-<id>.yaml`, signed by its chair when the meeting ends. The
 * record of what the board decided (the decisions themselves are the signed approval files); never changed after.
 */
export interface MeetingDoc {
  readonly id: string;
  readonly title: string;
  readonly chair: string;
  readonly timeZone: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly notes: string;
  readonly attendees: readonly MeetingAttendee[];
  readonly items: readonly {
    /** The change's number in this repository (CHG-...). */
    readonly change: string;
    readonly position: number;
    readonly late: boolean;
    readonly addedAt: string;
    readonly secondsSpent: number;
    readonly notes: string;
    /** The change as the agenda froze it (its `id` is the chair's register's; another laptop maps by number). */
    readonly frozen: ChangeSummary;
    readonly decisions: readonly MeetingFileDecision[];
  }[];
  /** SHA-256 of the canonical minutes text (every field of this record but this one, as sorted compact JSON); null in older records. */
  readonly minutesSha256: string | null;
}

/** `meetings/<yyyy-mm-dd>-<id>.yaml`, dated by the meeting's start (UTC). */
export function meetingPath(doc: Pick<MeetingDoc, "id" | "startedAt">): string {
  return `meetings/${doc.startedAt.slice(0, 10)}-${doc.id.toLowerCase()}.yaml`;
}

export function writeMeeting(doc: MeetingDoc): string {
  return stringify(doc, { lineWidth: 0 });
}

/** Reads a meeting file; throws when it is not one (sync then leaves it out). */
export function parseMeeting(text: string, path: string): MeetingDoc {
  const raw = parse(text) as Partial<MeetingDoc> | null;
  const ok =
    raw &&
    typeof raw.id === "string" &&
    typeof raw.title === "string" &&
    typeof raw.chair === "string" &&
    raw.chair.includes("@") &&
    typeof raw.timeZone === "string" &&
    typeof raw.startedAt === "string" &&
    typeof raw.endedAt === "string" &&
    Array.isArray(raw.attendees) &&
    Array.isArray(raw.items) &&
    raw.items.every((i) => typeof i?.change === "string" && Array.isArray(i.decisions));
  if (!ok) throw new Error(`${path} is not a CAB meeting record.`);
  return { ...raw, minutesSha256: raw.minutesSha256 ?? null } as MeetingDoc;
}
