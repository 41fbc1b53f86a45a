import type { PendingPublication, PlantListItem } from "../../../shared/contract/methods/calendar";
import type { PlannedChange } from "../../../shared/domain/calendar/index";
import type { Client } from "../../api/transport";

/** A plant lane's source: who it is, its zone and its iCalendar text (parsed here by the same pure engine). */
export interface PlantRecord {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly ics: string | null;
  /** Where the calendar came from (file name, preset, demo), shown under the plant's name. */
  readonly source: string | null;
  /** A replacement made here that the GitOps repository does not hold yet (absent: not known). */
  readonly pendingPublication?: PendingPublication | null;
  /** Argo CD enforces its maintenance as allow windows: outside maintenance blocks (absent: not enforced). */
  readonly maintenanceEnforced?: boolean;
}

/** What the core needs to judge a window for a change: the change and the other planned changes near it. */
export interface WindowQuery {
  readonly change: PlannedChange;
  readonly others: readonly PlannedChange[];
}

/** Every plant with its calendar text: plant.list, then plant.get for each (a plant network has tens, not thousands). */
export async function loadPlants(client: Client): Promise<PlantRecord[]> {
  const list = await client.call("plant.list", {});
  return Promise.all(
    list.map(async (p: PlantListItem) => {
      const detail = await client.call("plant.get", { plant: p.id });
      const { id, name, timeZone, source, pendingPublication, maintenanceEnforced } = p;
      return { id, name, timeZone, ics: detail.ics, source, pendingPublication, maintenanceEnforced };
    }),
  );
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// The core checks against the changes it is given: send the ones that can matter to this window.
function describeChange(q: WindowQuery, near: { from: number; to: number } | null) {
  const c = q.change;
  const others = q.others
    .filter((o) => o.id !== c.id && (!near || (o.end > near.from && o.start < near.to)))
    .map((o) => ({
      id: o.id,
      plants: [...o.plants],
      start: iso(o.start),
      end: iso(o.end),
      area: o.area ?? null,
      environment: o.environment ?? null,
      implementer: o.implementer ?? null,
    }));
  return {
    id: c.id,
    plants: [...c.plants],
    area: c.area ?? null,
    environment: c.environment ?? null,
    implementer: c.implementer ?? null,
    changes: others,
  };
}

const DAY = 86_400_000;

/** The core's verdict on a window (calendar.check). */
export function checkOnCore(client: Client, q: WindowQuery, start: number, end: number) {
  return client.call("calendar.check", {
    ...describeChange(q, { from: start - DAY, to: end + DAY }),
    start: iso(start),
    end: iso(end),
  });
}

/** The core's next safe window for a change of this length (calendar.nextWindow), or null. */
export function nextWindowOnCore(client: Client, q: WindowQuery, after: number) {
  const minutes = Math.max(1, Math.round((q.change.end - q.change.start) / 60_000));
  return client.call("calendar.nextWindow", {
    ...describeChange(q, null),
    duration: `${minutes}m`,
    after: iso(after),
  });
}
