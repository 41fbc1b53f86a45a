import type { PlantDetail, PlantSummary } from "../../../shared/contract/methods/calendar";
import type { Clock } from "../clock";
import type { Db } from "../register/db";

interface PlantRow {
  id: string;
  name: string;
  time_zone: string;
  ics: string;
  source: string | null;
  event_count: number;
  updated_at: string;
}

/** A plant as it is stored (what import writes). */
interface PlantRecord {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly ics: string;
  readonly source: string | null;
  readonly eventCount: number;
}

function toDetail(r: PlantRow): PlantDetail {
  return {
    id: r.id,
    name: r.name,
    timeZone: r.time_zone,
    eventCount: r.event_count,
    source: r.source,
    updatedAt: r.updated_at,
    ics: r.ics,
  };
}

/** Strips the calendar text from a stored plant. */
export function toSummary(p: PlantDetail): PlantSummary {
  const { ics: _ics, ...summary } = p;
  return summary;
}

/** Live plants, by name. */
export function listPlants(db: Db): PlantDetail[] {
  const rows = db.prepare("SELECT * FROM plants WHERE deleted_at IS NULL ORDER BY lower(name)").all() as PlantRow[];
  return rows.map(toDetail);
}

/** A live plant by id or by name (case-insensitive), or null. */
export function findPlant(db: Db, ref: string): PlantDetail | null {
  const row = db
    .prepare("SELECT * FROM plants WHERE deleted_at IS NULL AND (id = ? OR lower(name) = lower(?)) LIMIT 1")
    .get(ref.trim(), ref.trim()) as PlantRow | undefined;
  return row ? toDetail(row) : null;
}

/** A lowercase slug usable as a plant id (`Berlin Assembly` → `berlin-assembly`). */
function plantSlug(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "plant" : slug;
}

function freeId(db: Db, wanted: string): string {
  const taken = db.prepare("SELECT 1 FROM plants WHERE id = ?");
  let id = wanted;
  for (let n = 2; taken.get(id); n++) id = `${wanted}-${n}`;
  return id;
}

/** Inserts a new plant (id from `preferredId` or the name's slug); returns it. */
export function insertPlant(db: Db, clock: Clock, p: Omit<PlantRecord, "id">, preferredId?: string): PlantDetail {
  const now = clock.now().toISOString();
  const id = freeId(db, preferredId ?? plantSlug(p.name));
  db.prepare(
    `INSERT INTO plants (id, name, time_zone, ics, source, event_count, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, p.name, p.timeZone, p.ics, p.source, p.eventCount, now, now);
  return findPlant(db, id) as PlantDetail;
}

/** Replaces a plant's calendar (and name and zone, which come from it). */
export function updatePlant(db: Db, clock: Clock, id: string, p: Omit<PlantRecord, "id">): PlantDetail {
  db.prepare(
    "UPDATE plants SET name = ?, time_zone = ?, ics = ?, source = ?, event_count = ?, updated_at = ? WHERE id = ?",
  ).run(p.name, p.timeZone, p.ics, p.source, p.eventCount, clock.now().toISOString(), id);
  return findPlant(db, id) as PlantDetail;
}

/** Tombstones a plant: its row stays (deletes are tombstones), its name is free again. */
export function removePlant(db: Db, clock: Clock, id: string): void {
  db.prepare("UPDATE plants SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL").run(clock.now().toISOString(), id);
}
