import { describe, expect, it } from "vitest";
import { fieldIssue } from "../../../../renderer/components/field-issue";
import { AppError, methods } from "../../../../shared/contract/index";

describe("fieldIssue", () => {
  it("finds the core's message for one field of an invalid-input error", () => {
    const parsed = methods["exception.log"].input.safeParse({
      title: "Hotfix",
      area: "mrp",
      plants: ["berlin"],
      justification: "Line down",
      incident: "INC-1",
      breakGlass: { start: "2026-12-01T00:00:00Z", end: "2026-12-20T00:00:00Z" },
      actions: "Restarted",
    });
    expect(parsed.success).toBe(false);
    const issues = parsed.error?.issues.map((i) => ({ path: i.path.join("."), message: i.message })) ?? [];
    const error = new AppError("invalid-input", "Invalid input", { issues });
    expect(fieldIssue(error, "breakGlass.end")).toBe("The break-glass window may span at most 14 days");
    expect(fieldIssue(error, "breakGlass.start")).toBeUndefined();
    expect(fieldIssue(new AppError("conflict", "x", { issues }), "breakGlass.end")).toBeUndefined();
  });
});
