import { describe, expect, it } from "vitest";
import { fixedClock } from "../../../../electron/core/clock";
import { createDispatcher, type Handlers } from "../../../../electron/core/dispatch";
import { AppError, type EventEnvelope, type MethodOutput } from "../../../../shared/contract/index";

// `mutates: true` means the same for an awaited handler as for a sync one: a successful call tells every door what
// changed, after its result is in, and the caller gets the same events in its result (so a window refreshes once).
const pushed: MethodOutput<"gitops.push"> = { pushed: 0, pending: 0, error: null };

function dispatcherWith(handlers: Partial<Handlers>, order: string[] = []) {
  const events: EventEnvelope[] = [];
  const dispatch = createDispatcher({
    handlers: handlers as Handlers,
    clock: fixedClock("2026-01-01"),
    onEvent: (e) => {
      order.push("event");
      events.push(e);
    },
  });
  return { dispatch, events, order };
}

describe("mutates for async handlers", () => {
  it("an awaited write that names no entity still announces one, after its result, once", async () => {
    const order: string[] = [];
    const { dispatch, events } = dispatcherWith(
      {
        "gitops.push": {
          async: async () => {
            await new Promise<void>((resolve) => setImmediate(resolve));
            order.push("handler-done");
            return pushed;
          },
        },
      } as Partial<Handlers>,
      order,
    );
    const result = await dispatch("gitops.push", {});
    const announced = { event: "register.changed", payload: { entity: "gitops" }, seq: 1 };
    expect(result).toEqual({ ok: true, value: pushed, events: [announced] });
    expect(events).toEqual([announced]);
    expect(order).toEqual(["handler-done", "event"]);
  });

  it("a handler that names its entity is not announced twice; stamps grow call by call", async () => {
    const { dispatch, events } = dispatcherWith({
      "gitops.push": {
        async: async (_input, ctx) => {
          ctx.emit("register.changed", { entity: "change", id: "C1" });
          return pushed;
        },
      },
    } as Partial<Handlers>);
    await dispatch("gitops.push", {});
    const second = await dispatch("gitops.push", {});
    expect(events.map((e) => [e.payload, e.seq])).toEqual([
      [{ entity: "change", id: "C1" }, 1],
      [{ entity: "change", id: "C1" }, 2],
    ]);
    expect(second.ok && second.events).toEqual([events[1]]);
  });

  it("a failed write and a read announce nothing", async () => {
    const { dispatch, events } = dispatcherWith({
      "gitops.push": {
        async: async () => {
          throw new AppError("git-remote", "The remote is not answering.");
        },
      },
      "gitops.outbox": () => ({ items: [], pending: 0 }) as never,
    } as Partial<Handlers>);
    expect(await dispatch("gitops.push", {})).toMatchObject({ ok: false, error: { code: "git-remote" } });
    const read = await dispatch("gitops.outbox", {});
    expect(read).toEqual({ ok: true, value: { items: [], pending: 0 } });
    expect(events).toEqual([]);
  });
});
