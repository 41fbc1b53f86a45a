import { describe, expect, it } from "vitest";
import {
  EMPTY_FORM,
  errorsFromDetails,
  fieldOfPath,
  formToInput,
  localToRfc3339,
  rfc3339ToLocal,
  validateForm,
} from "../../../../../renderer/features/register/change-form-model";

const valid = {
  ...EMPTY_FORM,
  title: "Relabel pick routes",
  plants: "berlin, Pune",
  requesterName: "Ada",
  requesterEmail: "ada@plant.example",
};

describe("change form model", () => {
  it("accepts a complete form and builds the contract input from it", () => {
    expect(validateForm(valid)).toEqual({});
    const input = formToInput({ ...valid, snapshotRef: "  ", ticket: " OPS-1 " });
    expect(input.plants).toEqual(["berlin", "pune"]);
    expect(input.implementer).toBeNull();
    expect(input.window).toBeNull();
    expect(input.snapshotRef).toBeNull();
    expect(input.links).toEqual({ incident: null, ticket: "OPS-1", pullRequest: null });
  });

  it("puts every problem beside its own field, in people's words", () => {
    const errors = validateForm({
      ...EMPTY_FORM,
      plants: "Berlin Plant!",
      requesterEmail: "nope",
      windowStart: "2026-12-05T12:00",
      windowEnd: "2026-12-05T08:00",
      implementerEmail: "sam@plant.example",
    });
    expect(errors.title).toBe("Required.");
    expect(errors.plants).toMatch(/^Plant ids are lower-case/);
    expect(errors.requesterName).toBe("Required.");
    expect(errors.requesterEmail).toMatch(/e-mail address/);
    expect(errors.windowEnd).toBe("The window must end after it starts.");
    expect(errors.implementerName).toMatch(/name and e-mail, or neither/);
  });

  it("asks for both ends of a window", () => {
    expect(validateForm({ ...valid, windowStart: "2026-12-05T08:00" }).windowEnd).toMatch(/both start and end/);
    expect(validateForm({ ...valid, windowEnd: "2026-12-05T08:00" }).windowStart).toMatch(/both start and end/);
  });

  it("shows the contract's bounds beside the field: window length and years, hidden characters", () => {
    const long = validateForm({ ...valid, windowStart: "2026-12-01T08:00", windowEnd: "2026-12-15T08:01" });
    expect(long.windowEnd).toBe("The window may span at most 14 days.");
    const far = validateForm({ ...valid, windowStart: "1999-12-31T22:00", windowEnd: "2000-01-01T02:00" });
    expect(far.windowStart).toBe("Must lie in the years 2000 to 2100.");
    expect(validateForm({ ...valid, title: "Approved \u202eby CAB" }).title).toMatch(/text-direction control/);
    expect(validateForm({ ...valid, description: "Step 1\n\tStep 2" })).toEqual({});
  });

  it("keeps local window times as RFC 3339 with this machine's offset, and back", () => {
    const iso = localToRfc3339("2026-12-05T08:00");
    expect(iso).toMatch(/^2026-12-05T08:00:00[+-]\d{2}:\d{2}$/);
    expect(Date.parse(iso)).toBe(new Date("2026-12-05T08:00").getTime());
    expect(rfc3339ToLocal(iso)).toBe("2026-12-05T08:00");
  });

  it("maps contract paths and core errors onto form fields", () => {
    expect(fieldOfPath("requester.email")).toBe("requesterEmail");
    expect(fieldOfPath("plants.1")).toBe("plants");
    expect(fieldOfPath("window")).toBe("windowEnd");
    expect(fieldOfPath("links.pullRequest")).toBe("pullRequest");
    expect(fieldOfPath("nonsense")).toBeNull();
    expect(errorsFromDetails({ issues: [{ path: "patch.title", message: "Too long" }, { path: 3 }] })).toEqual({
      title: "Too long",
    });
    expect(errorsFromDetails(undefined)).toEqual({});
  });
});
