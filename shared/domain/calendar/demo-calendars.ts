import type { DemoPlant } from "../demo/roster";
import type { IcsEvent } from "./ics-writer";
import { presetCalendarIcs } from "./presets";

const PRESET_OF: Readonly<Record<string, string>> = {
  berlin: "3x8-five-day",
  chicago: "2x12-dupont",
  pune: "general-mon-sat",
};

function demoEvents(plant: DemoPlant): IcsEvent[] {
  const tzid = plant.timeZone;
  const uid = (what: string) => `${plant.id}-${what}@shiftgate-demo`;
  const close: IcsEvent =
    plant.id === "chicago"
      ? {
          uid: uid("month-end-close"),
          summary: "Month-end close (last weekday)",
          category: "BLACKOUT",
          start: "20260130",
          end: "20260131",
          rrule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        }
      : {
          uid: uid("month-end-close"),
          summary: "Month-end inventory close",
          category: "BLACKOUT",
          start: "20260131",
          end: "20260201",
          rrule: "FREQ=MONTHLY;BYMONTHDAY=-1",
        };
  const maintenance: IcsEvent =
    plant.id === "berlin"
      ? {
          uid: uid("weekend-maintenance"),
          summary: "Weekend maintenance",
          category: "MAINTENANCE",
          start: "20260103T080000",
          end: "20260104T200000",
          tzid,
          rrule: "FREQ=WEEKLY;BYDAY=SA",
        }
      : plant.id === "chicago"
        ? {
            uid: uid("sunday-maintenance"),
            summary: "Sunday maintenance",
            category: "MAINTENANCE",
            start: "20260104T080000",
            end: "20260104T160000",
            tzid,
            rrule: "FREQ=WEEKLY;BYDAY=SU",
          }
        : {
            uid: uid("sunday-maintenance"),
            summary: "Sunday maintenance",
            category: "MAINTENANCE",
            start: "20260104T100000",
            end: "20260104T180000",
            tzid,
            rrule: "FREQ=WEEKLY;BYDAY=SU",
          };
  return [close, maintenance];
}

/** The demo plant's calendar: its shift preset, month-end close blackouts and weekend maintenance windows. */
export function demoPlantIcs(plant: DemoPlant, stamp: number): string {
  const preset = PRESET_OF[plant.id] ?? "general-mon-sat";
  return presetCalendarIcs(
    preset,
    { name: plant.name, timeZone: plant.timeZone, anchor: "2026-01-05", stamp },
    demoEvents(plant),
  );
}
