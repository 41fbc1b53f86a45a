import type { SignatureManifest } from "../../../shared/contract/methods/approvals";
import { formatZonedWindow } from "../../../shared/domain/calendar/plant-time";

// How times and signatures read on paper: date, time and zone always together, never a bare clock time.

/** "2026-12-01 09:12 UTC+01:00 (Europe/Berlin)" for an instant in a zone. */
export function zonedText(iso: string | Date, timeZone: string, seconds = false): string {
  const at = typeof iso === "string" ? new Date(iso) : iso;
  if (Number.isNaN(at.getTime())) return String(iso);
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: seconds ? "2-digit" : undefined,
    hourCycle: "h23",
    timeZoneName: "longOffset",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const offset = get("timeZoneName").replace("GMT", "UTC") || "UTC";
  const time = seconds ? `${get("hour")}:${get("minute")}:${get("second")}` : `${get("hour")}:${get("minute")}`;
  return `${get("year")}-${get("month")}-${get("day")} ${time} ${offset === "UTC" ? "UTC+00:00" : offset} (${timeZone})`;
}

/** The signed instant exactly as recorded (its own offset), with the signer's zone: "2026-12-01 09:12:44 UTC+01:00 (Europe/Berlin)". */
function signedAtText(sig: Pick<SignatureManifest, "signedAt" | "timeZone">): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(sig.signedAt);
  if (!m) return `${sig.signedAt} (${sig.timeZone})`;
  const offset = m[3] === "Z" ? "UTC+00:00" : `UTC${m[3]}`;
  return `${m[1]} ${m[2]} ${offset} (${sig.timeZone})`;
}

/** The lines of a signature manifestation (21 CFR 11.50): printed name, date and time with zone, meaning. */
export function signatureLines(sig: SignatureManifest, extra?: string): string[] {
  return [
    `Signed by ${sig.name} <${sig.email}>, ${sig.role}`,
    `Date and time: ${signedAtText(sig)}`,
    `Meaning: ${sig.meaning}`,
    ...(extra ? [extra] : []),
  ];
}

/** "1 h 05 min", "4 min 10 s". */
export function durationText(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, "0")} s`;
  return `${s} s`;
}

/** Each plant's zone by plant id, from plant.list: what a printed window is read in. */
export type PlantZones = ReadonlyMap<string, string>;

/**
 * A window as minutes and PDFs print it: on each plant's clocks with zone abbreviation and offset, UTC beside it,
 * "pune: Mon 07 Dec 2026, 01:30 to 05:30 IST (UTC+05:30) [UTC: Sun 06 Dec 2026, 20:00 to 00:00 UTC]". A plant the
 * register does not know reads in UTC, labelled as such.
 */
export function plantWindowText(
  window: { readonly start: string; readonly end: string } | null,
  plants: readonly string[],
  zones: PlantZones,
): string {
  if (!window) return "none";
  const byZone = new Map<string, string[]>();
  for (const p of plants) {
    const zone = zones.get(p) ?? "UTC";
    byZone.set(zone, [...(byZone.get(zone) ?? []), p]);
  }
  const plain = (text: string) => text.replaceAll(" – ", " to ");
  const local = [...byZone].map(([zone, names]) => `${names.join(", ")}: ${plain(formatZonedWindow(window, zone))}`);
  return `${local.join("; ")} [UTC: ${plain(formatZonedWindow(window, "UTC"))}]`;
}
