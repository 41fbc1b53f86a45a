import { describe, expect, it } from "vitest";
import { fixedClock } from "../../../../electron/core/clock";
import { type AuditInput, createDispatcher, type Handlers } from "../../../../electron/core/dispatch";
import { AppError, type EventEnvelope } from "../../../../shared/contract/index";

function handlersWith(status: Handlers["app.status"]): Handlers {
  return { "app.status": status } as Handlers;
}

const status = {
  name: "Shiftgate",
  version: "1",
  registerPath: "x",
  schemaVersion: 1,
  gitops: { configured: false, path: null, branch: null, head: null, remote: null },
  timeZone: "UTC",
  now: "2026-01-01T00:00:00.000Z",
  door: "direct" as const,
};

describe("dispatch", () => {
  it("refuses an unknown method with a typed error", async () => {
    const dispatch = createDispatcher({ handlers: handlersWith(() => status), clock: fixedClock("2026-01-01") });
    const result = await dispatch("app.nope", {});
    expect(result).toMatchObject({ ok: false, error: { code: "unknown-method" } });
  });

  it("validates input before the handler runs", async () => {
    let ran = false;
    const dispatch = createDispatcher({
      handlers: handlersWith(() => {
        ran = true;
        return status;
      }),
      clock: fixedClock("2026-01-01"),
    });
    const result = await dispatch("app.status", { extra: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid-input" } });
    expect(ran).toBe(false);
  });

  it("returns AppErrors as data and hides internal errors behind a plain message", async () => {
    const logged: string[] = [];
    const failing = createDispatcher({
      handlers: handlersWith(() => {
        throw new AppError("forbidden", "No.");
      }),
      clock: fixedClock("2026-01-01"),
    });
    expect(await failing("app.status", {})).toEqual({ ok: false, error: { code: "forbidden", message: "No." } });
    const crashing = createDispatcher({
      handlers: handlersWith(() => {
        throw new TypeError("secret stack detail");
      }),
      clock: fixedClock("2026-01-01"),
      log: (m) => logged.push(m),
    });
    const result = await crashing("app.status", {});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("internal");
      expect(result.error.message).not.toContain("secret");
    }
    expect(logged).toHaveLength(1);
  });

  it("writes queued audit rows and emits events only after the transaction commits", async () => {
    const order: string[] = [];
    const written: AuditInput[] = [];
    const events: EventEnvelope[] = [];
    const dispatch = createDispatcher({
      handlers: {
        "app.status": {
          async: async (_input, ctx) => {
            ctx.emit("app.notice", { level: "info", message: "hi" });
            ctx.transact(() => {
              ctx.audit({ action: "test", entity: "thing", entityId: "1" });
              order.push("handler-write");
            });
            return status;
          },
        },
      } as Handlers,
      clock: fixedClock("2026-01-01"),
      storage: {
        transaction: (fn) => {
          order.push("begin");
          const r = fn();
          order.push("commit");
          return r;
        },
        writeAudit: (entries) => {
          order.push("audit");
          written.push(...entries);
        },
      },
      onEvent: (e) => {
        order.push("event");
        events.push(e);
      },
    });
    const result = await dispatch("app.status", {});
    expect(result.ok).toBe(true);
    expect(order).toEqual(["begin", "handler-write", "audit", "commit", "event"]);
    expect(written).toEqual([{ action: "test", entity: "thing", entityId: "1" }]);
    expect(events).toEqual([{ event: "app.notice", payload: { level: "info", message: "hi" }, seq: 1 }]);
  });

  it("emits nothing when the transaction fails", async () => {
    const events: EventEnvelope[] = [];
    const dispatch = createDispatcher({
      handlers: {
        "app.status": {
          async: async (_input, ctx) => {
            ctx.emit("app.notice", { level: "info", message: "hi" });
            ctx.transact(() => {
              throw new AppError("conflict", "Someone else changed it.");
            });
            return status;
          },
        },
      } as Handlers,
      clock: fixedClock("2026-01-01"),
      storage: { transaction: (fn) => fn(), writeAudit: () => undefined },
      onEvent: (e) => events.push(e),
    });
    expect(await dispatch("app.status", {})).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(events).toEqual([]);
  });

  it("serialises dates to RFC 3339 strings", async () => {
    const dispatch = createDispatcher({
      handlers: handlersWith(() => ({ ...status, now: new Date("2026-03-01T10:00:00Z") as unknown as string })),
      clock: fixedClock("2026-01-01"),
    });
    const result = await dispatch("app.status", {});
    expect(result).toMatchObject({ ok: true, value: { now: "2026-03-01T10:00:00.000Z" } });
  });
});
