import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useRef } from "react";
import type { ChangeSummary } from "../../../shared/contract/index";
import type { Client } from "../../api/transport";
import { loadPlants, type PlantRecord } from "./calendar-api";
import { buildModel, type CalendarModel, parsePlants } from "./calendar-model";
import type { ExpansionCache } from "./expansion-cache";
import { markStart, RENDER_MEASURE } from "./perf-marks";
import type { TimeScale } from "./time-scale";

const DAY = 86_400_000;
const PAGE = 500;
const STALE_MS = 60_000;
const NO_PLANTS: readonly PlantRecord[] = [];
const NO_CHANGES: readonly ChangeSummary[] = [];

/** Every change whose window overlaps [from, to), page by page (the register caps a page at 500). */
async function changesBetween(client: Client, from: number, to: number): Promise<ChangeSummary[]> {
  const out: ChangeSummary[] = [];
  for (let page = 1; ; page++) {
    const res = await client.call("change.list", {
      windowFrom: new Date(from).toISOString(),
      windowTo: new Date(to).toISOString(),
      sort: { field: "windowStart", dir: "asc" },
      page,
      pageSize: PAGE,
    });
    out.push(...res.items);
    if (res.items.length < PAGE || out.length >= res.total) return out;
  }
}

/** The plants and changes of a period, and the model built from them (once per data change, not per render). */
export function useCalendarData(client: Client, scale: TimeScale, cache: ExpansionCache) {
  const plants = useQuery({ queryKey: ["plant.list", "calendar"], queryFn: () => loadPlants(client) });
  // Two weeks past the period too: collisions and the next-window search look there.
  const from = scale.from - 2 * DAY;
  const to = scale.to + 16 * DAY;
  const changes = useQuery({
    queryKey: ["change.list", "calendar", from, to],
    queryFn: () => changesBetween(client, from, to),
    placeholderData: keepPreviousData,
    // Paging back to a week already read shows it from the cache without reading every change again: a register
    // event invalidates every query (client-context), so nothing stale outlives a change made anywhere.
    staleTime: STALE_MS,
  });
  const plantData = plants.data ?? NO_PLANTS;
  const changeData = changes.data ?? NO_CHANGES;
  // The render measure starts before the model is built (expansion, indexes, verdicts) whenever its inputs
  // change, and the page closes it after React commits the lanes: that is what a CAB waits for on ←/→.
  const marked = useRef<{ inputs: readonly unknown[]; mark: string } | null>(null);
  const inputs = [plantData, changeData, scale];
  if (!marked.current || inputs.some((v, i) => v !== marked.current?.inputs[i])) {
    marked.current = { inputs, mark: markStart(RENDER_MEASURE) };
  }
  const parsed = useMemo(() => parsePlants(plantData), [plantData]);
  const model: CalendarModel = useMemo(
    () => buildModel(parsed, changeData, scale, cache),
    [parsed, changeData, scale, cache],
  );
  return {
    model,
    plantsData: plantData,
    changesData: changeData,
    loading: plants.isPending || changes.isPending,
    error: plants.error ?? changes.error,
    renderMark: marked.current.mark,
  };
}
