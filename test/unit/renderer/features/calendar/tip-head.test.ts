import { describe, expect, it } from "vitest";
import { type ConflictLine, tipHead } from "../../../../../renderer/features/calendar/conflict-text";

const line = (kind: ConflictLine["kind"], key: string): ConflictLine => ({ kind, key, text: key });

describe("tipHead", () => {
  it("counts what the bullets list: two conflicts and the outside-maintenance warning read as 2 + 1 over 3 bullets", () => {
    const lines = [line("shift-change", "a"), line("collision", "b"), line("outside-maintenance", "c")];
    expect(tipHead({ ok: false }, lines)).toEqual({ head: "⚠ 2 conflicts · 1 warning", blocking: 2 });
  });

  it("names a lone warning as no blocking conflict, and as a conflict where maintenance is enforced", () => {
    const lines = [line("outside-maintenance", "c")];
    expect(tipHead({ ok: true }, lines).head).toBe("✓ No blocking conflict");
    expect(tipHead({ ok: false }, lines)).toEqual({ head: "⚠ 1 conflict", blocking: 1 });
    expect(tipHead({ ok: true }, []).head).toBe("✓ No conflict");
  });
});
