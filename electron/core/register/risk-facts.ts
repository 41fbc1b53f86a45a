import { AppError } from "../../../shared/contract/errors";
import { DAY, expandCalendar, formatInstant } from "../../../shared/domain/calendar/index";
import { type ChangeFacts, factAnswers } from "../../../shared/domain/register/risk-facts";
import { type ChangeRow, rowFields } from "./change-rows";
import type { Db } from "./db";
import { latestAssessment } from "./queries";
import { blackoutsOver, calendarsOf, describeBlackouts } from "./window-rules";

// A fact's words name a few instances; the rest are counted, so a week-long window does not list every shift.
const SHOWN = 3;

/** What the register knows about a change that bears on its risk: its own fields and its plants' calendars. */
export function changeFacts(db: Db, row: ChangeRow, protectedEnvironments: readonly string[]): ChangeFacts {
  const f = rowFields(row);
  const start = f.window ? Date.parse(f.window.start) : Number.NaN;
  const end = f.window ? Date.parse(f.window.end) : Number.NaN;
  const timed = Number.isFinite(start) && Number.isFinite(end) && end > start;
  const blackouts = timed ? blackoutsOver(db, f.plants, start, end).map((b) => describeBlackouts([b])) : [];
  return {
    plants: f.plants,
    dbMigration: f.dbMigration,
    environment: row.environment,
    protectedEnvironment: protectedEnvironments.includes(row.environment),
    area: f.area,
    blackouts: summarise(blackouts),
    shifts: timed ? summarise(shiftsOver(db, f.plants, start, end)) : [],
  };
}

function shiftsOver(db: Db, plants: readonly string[], start: number, end: number): string[] {
  const out: string[] = [];
  for (const calendar of calendarsOf(db, plants)) {
    for (const i of expandCalendar(calendar, start - DAY, end + DAY)) {
      if (i.category !== "SHIFT" || !(i.start < end && start < i.end)) continue;
      const at = (t: number) => formatInstant(calendar.zone, t).slice(0, 16).replace("T", " ");
      out.push(
        `${calendar.name ?? calendar.file}'s shift "${i.summary || "Shift"}" (${at(i.start)} – ${at(i.end)} ${calendar.timeZone})`,
      );
    }
  }
  return out;
}

function summarise(items: readonly string[]): string[] {
  if (items.length <= SHOWN) return [...items];
  return [...items.slice(0, SHOWN), `${items.length - SHOWN} more`];
}

/**
 * Refuses asking for approval on an assessment the change's facts no longer bear out: an edit after the assessment
 * (more plants, a migration, a window moved into a close period) would otherwise keep the old, lower class.
 */
export function assertAssessmentCurrent(db: Db, row: ChangeRow, protectedEnvironments: readonly string[]): void {
  const assessment = latestAssessment(db, row.id);
  if (!assessment) return;
  for (const [id, fact] of factAnswers(changeFacts(db, row, protectedEnvironments))) {
    if (JSON.stringify(assessment.answers[id]) === JSON.stringify(fact.answer)) continue;
    throw new AppError(
      "gate-failed",
      `The risk assessment no longer matches the change (${id}: ${fact.because}); assess its risk again, then ask for approval.`,
      { reason: "assessment-stale", question: id },
    );
  }
}
