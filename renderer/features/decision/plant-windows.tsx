import type { PlantZone } from "../../../shared/contract/methods/approvals";
import type { ChangeWindow } from "../../../shared/contract/methods/register";
import { formatZonedWindow } from "../../../shared/domain/calendar/plant-time";
import { viewerTimeTitle } from "../../components/plant-window";

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
  return (
    <ul className="decision-windows" data-testid="decision-window">
      {zones.map((z) => (
        <li key={z.plant} data-testid="decision-plant-window" title={viewerTimeTitle(window)}>
          <strong>{z.name}</strong> {formatZonedWindow(window, z.timeZone)}
        </li>
      ))}
    </ul>
  );
}
