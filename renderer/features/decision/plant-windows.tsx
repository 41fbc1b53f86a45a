import type { Locale } from "date-fns";
import type { PlantZone } from "../../../shared/contract/methods/approvals";
import type { ChangeWindow } from "../../../shared/contract/methods/register";
import { ianaZone } from "../../../shared/domain/calendar/zone";
import { formatDayTime, formatRange, localeFor } from "../calendar/format-time";

/** "UTC+01:00", "UTC-06:00", "UTC+05:30": the offset a plant's clocks run at, at an instant. */
export function offsetText(zone: string, instant: number): string {
  const minutes = Math.round(ianaZone(zone).offsetAt(instant) / 60_000);
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** The viewer's language for dates (the browser's). */
export function viewerLocale(): Locale {
  return localeFor(navigator.language || Intl.DateTimeFormat().resolvedOptions().locale);
}

/**
 * The window as each plant reads it on its own clocks, with the zone's abbreviation and offset; the viewer's own
 * time on hover. A plant leader in Pune signs for 01:30 IST, not for whatever the laptop's zone makes of it.
 */
export function PlantWindows({
  window,
  zones,
}: {
  readonly window: ChangeWindow | null;
  readonly zones: readonly PlantZone[];
}) {
  if (!window) return <span data-testid="decision-window">No planned window yet.</span>;
  const locale = viewerLocale();
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  const mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <ul className="decision-windows" data-testid="decision-window">
      {zones.map((z) => (
        <li
          key={z.plant}
          data-testid="decision-plant-window"
          title={`Your time: ${formatDayTime(start, mine, locale)} – ${formatDayTime(end, mine, locale)}`}
        >
          <strong>{z.name}</strong> {formatRange(start, end, z.timeZone, locale)} ({offsetText(z.timeZone, start)})
        </li>
      ))}
    </ul>
  );
}
