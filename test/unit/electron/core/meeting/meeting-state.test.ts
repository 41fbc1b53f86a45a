import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../../../../electron/core/clock";
import type { Core } from "../../../../../electron/core/core";
import type { MethodInput, MethodName, MethodOutput } from "../../../../../shared/contract/index";
import { tempCore } from "../../../../helpers/temp";

const clock = fixedClock("2026-12-01T08:00:00Z");
let core: Core;
let cleanup: () => void;

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.call(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

beforeAll(async () => {
  ({ core, cleanup } = await tempCore({ clock }));
});
afterAll(() => cleanup());

describe("meeting state", () => {
  it("times items one at a time, tracks who is present, and freezes everything at the end", async () => {
    let m = await call("meeting.start", { attendees: ["kenji.sato@plant.example"], title: "Weekly CAB" });
    const [first, second] = m.items;
    if (!first || !second) throw new Error("the demo agenda has two items");
    await call("meeting.timer", { id: m.id, changeId: first.changeId, action: "start" });
    clock.set("2026-12-01T08:04:10Z");
    // Starting the second stops the first: 250 s on the first item.
    await call("meeting.timer", { id: m.id, changeId: second.changeId, action: "start" });
    clock.set("2026-12-01T08:05:00Z");
    m = await call("meeting.attend", { id: m.id, email: "dana.kim@plant.example", present: true });
    expect(m.attendees.map((a) => [a.name, a.leftAt])).toEqual([
      ["Kenji Sato", null],
      ["Dana Kim", null],
    ]);
    m = await call("meeting.attend", { id: m.id, email: "kenji.sato@plant.example", present: false });
    expect(m.attendees.find((a) => a.email === "kenji.sato@plant.example")?.leftAt).toBe("2026-12-01T08:05:00.000Z");
    clock.set("2026-12-01T08:06:00Z");
    m = await call("meeting.end", { id: m.id });
    const spent = m.items.map((i) => [i.secondsSpent, i.timerStartedAt]);
    expect(spent.slice(0, 2)).toEqual([
      [250, null],
      [110, null],
    ]);
    // The rest of the demo agenda was never timed.
    expect(spent.slice(2).every(([s, t]) => s === 0 && t === null)).toBe(true);
    const late = await core.call("meeting.note", { id: m.id, notes: "too late" });
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.error.code).toBe("conflict");
    expect(await call("meeting.current", {})).toBeNull();
    expect((await call("meeting.list", {}))[0]).toMatchObject({
      title: "Weekly CAB",
      status: "ended",
      items: m.items.length,
    });
  });

  it("writes every meeting step into the audit chain, which still verifies", async () => {
    const audit = await call("audit.list", { entity: "meeting" });
    expect(audit.items.map((e) => e.action)).toEqual([
      "meeting.start",
      "meeting.timer",
      "meeting.timer",
      "meeting.attend",
      "meeting.attend",
      "meeting.end",
    ]);
    expect((await call("audit.verify", {})).ok).toBe(true);
  });
});
