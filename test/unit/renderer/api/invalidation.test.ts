import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createInvalidator } from "../../../../renderer/api/invalidation";
import type { EventEnvelope } from "../../../../shared/contract/index";

// One call's events reach a window twice (in the call's result and on the event stream): each affected query is
// read again once, unrelated ones not at all. Before, every query was invalidated by the call and again by the event.
const READS = ["plant.list", "calendar.expand", "change.list", "audit.list", "odoo.connection.list"] as const;

let unsubscribe: (() => void)[] = [];
afterEach(() => {
  for (const off of unsubscribe) off();
  unsubscribe = [];
});

async function screen() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  const fetches = new Map<string, number>(READS.map((m) => [m, 0]));
  for (const method of READS) {
    const observer = new QueryObserver(queryClient, {
      queryKey: [method, {}],
      queryFn: async () => {
        fetches.set(method, (fetches.get(method) ?? 0) + 1);
        return method;
      },
    });
    unsubscribe.push(observer.subscribe(() => undefined));
  }
  await Promise.all(READS.map((m) => queryClient.fetchQuery({ queryKey: [m, {}] })));
  const settled = () => vi.waitFor(() => expect(queryClient.isFetching()).toBe(0));
  await settled();
  const baseline = new Map(fetches);
  return {
    invalidator: createInvalidator(queryClient),
    settled,
    refetched: () => Object.fromEntries(READS.map((m) => [m, (fetches.get(m) ?? 0) - (baseline.get(m) ?? 0)])),
  };
}

const plantRemoved: EventEnvelope = { event: "register.changed", payload: { entity: "plant", id: "P1" }, seq: 7 };

describe("one refresh per event, by the entity it names", () => {
  it("the call's result and the event stream bring the same event: affected queries are read once", async () => {
    const { invalidator, settled, refetched } = await screen();
    await invalidator.apply([plantRemoved]);
    await invalidator.apply([plantRemoved]);
    await settled();
    expect(refetched()).toEqual({
      "plant.list": 1,
      "calendar.expand": 1,
      "change.list": 1,
      "audit.list": 0,
      "odoo.connection.list": 0,
    });
  });

  it("the event stream first, then the result: still once", async () => {
    const { invalidator, settled, refetched } = await screen();
    const stream = invalidator.apply([plantRemoved]);
    const result = invalidator.apply([plantRemoved]);
    await Promise.all([stream, result]);
    await settled();
    expect(refetched()["plant.list"]).toBe(1);
  });

  it("another window's next change is a new event and refreshes again; an identity switch refreshes everything", async () => {
    const { invalidator, settled, refetched } = await screen();
    await invalidator.apply([plantRemoved]);
    await invalidator.apply([{ ...plantRemoved, seq: 8 }]);
    await invalidator.apply([{ event: "register.changed", payload: { entity: "identity" }, seq: 9 }]);
    await settled();
    expect(refetched()).toEqual({
      "plant.list": 3,
      "calendar.expand": 3,
      "change.list": 3,
      "audit.list": 1,
      "odoo.connection.list": 1,
    });
  });
});

describe("a sync names what it moved", () => {
  it("a sync that moved nothing refreshes only the sync's own reads and leaves a slow read under way alone", async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    const started = new Map<string, number>();
    let answerCluster: () => void = () => undefined;
    const read = (method: string) => async () => {
      started.set(method, (started.get(method) ?? 0) + 1);
      // The cluster is slow: its read stays under way until the test lets it answer.
      if (method === "cluster.environments") await new Promise<void>((r) => (answerCluster = r));
      return method;
    };
    for (const method of ["gitops.syncStatus", "change.list", "cluster.environments"]) {
      const observer = new QueryObserver(queryClient, { queryKey: [method, {}], queryFn: read(method) });
      unsubscribe.push(observer.subscribe(() => undefined));
    }
    await vi.waitFor(() => expect(started.get("cluster.environments")).toBe(1));
    const invalidator = createInvalidator(queryClient);

    const quiet = invalidator.apply([{ event: "register.changed", payload: { entity: "sync" }, seq: 1 }]);
    await vi.waitFor(() => expect(started.get("gitops.syncStatus")).toBe(2));
    expect(started.get("change.list")).toBe(1);
    // Not cancelled and started again: the one read under way is still the only one.
    expect(started.get("cluster.environments")).toBe(1);
    answerCluster();
    await quiet;
    await vi.waitFor(() => expect(queryClient.getQueryData(["cluster.environments", {}])).toBe("cluster.environments"));

    // A sync that brought commits in (or sent them out) moved the ledger: every read is stale.
    const everything = invalidator.apply([{ event: "register.changed", payload: { entity: "gitops" }, seq: 2 }]);
    await vi.waitFor(() => expect(started.get("change.list")).toBe(2));
    await vi.waitFor(() => expect(started.get("cluster.environments")).toBe(2));
    answerCluster();
    await everything;
  });
});
