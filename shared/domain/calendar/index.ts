// The calendar engine: pure and browser-safe, shared by the renderer (previews) and the core (decisions).
export * from "./calendar-diff";
export * from "./category-mapping";
export * from "./conflicts";
export * from "./demo-calendars";
export * from "./duration";
export * from "./edit-calendar";
export * from "./expand";
export * from "./ics-writer";
export * from "./interval-index";
export * from "./next-window";
export * from "./parse-calendar";
export * from "./plant-engine";
export * from "./presets";
export * from "./sync-windows";
export type * from "./types";
export * from "./vtimezone-writer";
export * from "./wall-cron";
export * from "./windows-zones";
export {
  DAY,
  formatInstant,
  HOUR,
  ianaZone,
  instantToWall,
  MINUTE,
  parseInstant,
  resolveZoneName,
  wallToInstant,
  type ZoneRules,
} from "./zone";
