import ICAL from "ical.js";
import { AppError } from "../../errors/app-error";
import { type IcsEvent, writeIcs } from "./ics-writer";

function isShift(event: ICAL.Component): boolean {
  return event
    .getAllProperties("categories")
    .some((p) => p.getValues().some((v) => String(v).trim().toUpperCase() === "SHIFT"));
}

/**
 * Replaces a calendar's SHIFT events with new ones and keeps everything else (blackouts, maintenance, other
 * events, VTIMEZONEs) as it was: how a preset is applied to a plant that already has a calendar.
 */
export function replaceShiftEvents(ics: string, events: readonly IcsEvent[], stamp: number): string {
  let root: ICAL.Component;
  let fresh: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(ics) as unknown[]);
    fresh = new ICAL.Component(ICAL.parse(writeIcs({ name: "x", timeZone: "UTC", events, stamp })) as unknown[]);
  } catch (error) {
    throw new AppError(
      "calendar-invalid",
      `The calendar cannot be edited: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  for (const e of root.getAllSubcomponents("vevent")) if (isShift(e)) root.removeSubcomponent(e);
  for (const e of fresh.getAllSubcomponents("vevent")) root.addSubcomponent(e);
  return `${root.toString()}\r\n`;
}
