import { describe, expect, it } from "vitest";
import {
  age,
  errorHeadline,
  retryLabel,
  splitImage,
  tone,
} from "../../../../../renderer/features/cluster/cluster-format";

const now = Date.parse("2026-12-01T08:00:00Z");

describe("cluster view wording", () => {
  it("says what is wrong and when Shiftgate asks again", () => {
    const timeout = { source: "deployments", kind: "timeout" as const, message: "…" };
    expect(errorHeadline(timeout, "2026-12-01T08:00:30Z", now)).toBe("cluster not answering — retrying in 30 s");
    expect(errorHeadline({ ...timeout, kind: "unauthorised" }, "2026-12-01T08:05:00Z", now)).toBe(
      "credentials refused — retrying in 5 min",
    );
    expect(retryLabel(null, now)).toBe("");
    expect(retryLabel("2026-12-01T07:59:00Z", now)).toBe(" — retrying now");
  });

  it("splits images into repository and tag", () => {
    expect(splitImage("registry:5000/odoo:17.0-1")).toEqual({ repository: "registry:5000/odoo", tag: "17.0-1" });
    expect(splitImage("registry:5000/odoo")).toEqual({ repository: "registry:5000/odoo", tag: "latest" });
    expect(splitImage("odoo@sha256:0123456789abcdef0123")).toEqual({ repository: "odoo", tag: "sha256:0123456789ab" });
  });

  it("ages and tones", () => {
    expect(age("2026-12-01T07:55:00Z", now)).toBe("5 min ago");
    expect(age("2026-11-24T08:00:00Z", now)).toBe("7 d ago");
    expect(age(null, now)).toBe("—");
    expect([tone("Synced"), tone("OutOfSync"), tone("Degraded"), tone("Unknown")]).toEqual([
      "good",
      "warn",
      "bad",
      "muted",
    ]);
  });
});
