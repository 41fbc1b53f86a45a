import type { ChangeWindow } from "../../shared/contract/methods/register-types";
import { formatZonedWindow } from "../../shared/domain/calendar/plant-time";
import { useMethodQuery } from "../api/queries";

/** The zone the viewer's own clock runs in (the browser's). */
function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** "Your time: Sun 06 Dec 2026, 21:00 – …": the hover text every window carries, in the viewer's own zone. */
export function viewerTimeTitle(window: ChangeWindow): string {
  return `Your time: ${formatZonedWindow(window, viewerZone())}`;
}

/**
 * The zones of the named plants, one per distinct zone, in the change's plant order. Until the plant list has
 * loaded, or for a change without plants, the window reads in UTC: labelled, never passed off as plant time.
 */
function usePlantZones(plants: readonly string[]): readonly string[] {
  const list = useMethodQuery("plant.list", {});
  const known = new Map((list.data ?? []).map((p) => [p.id, p.timeZone]));
  const zones = [...new Set(plants.map((p) => known.get(p)).filter((z): z is string => Boolean(z)))];
  return zones.length > 0 ? zones : ["UTC"];
}

/**
 * A planned window, as every screen shows it: on the plant's own clocks with the zone's abbreviation and offset
 * ("Mon 07 Dec 2026, 01:30 – 05:30 IST (UTC+05:30)"), the viewer's own time on hover. `first` shows only the
 * first plant's zone (narrow list cells); the hover then names every zone.
 */
export function PlantWindow({
  window,
  plants,
  first = false,
}: {
  readonly window: ChangeWindow | null;
  readonly plants: readonly string[];
  readonly first?: boolean;
}) {
  const zones = usePlantZones(plants);
  if (!window) return <span data-testid="plant-window">—</span>;
  const shown = first ? zones.slice(0, 1) : zones;
  const all = zones.map((z) => formatZonedWindow(window, z)).join("\n");
  return (
    <span data-testid="plant-window" title={`${first && zones.length > 1 ? `${all}\n` : ""}${viewerTimeTitle(window)}`}>
      {shown.map((z) => formatZonedWindow(window, z)).join(" · ")}
    </span>
  );
}
