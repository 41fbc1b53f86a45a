import { describe, expect, it } from "vitest";
import { judge, parseFindings } from "../../../build/security/gate";

const header = "issue, severity, confidence, filename, location, sample, description, url\n";

describe("security gate", () => {
  it("blocks an unreviewed HIGH or MEDIUM finding and ignores LOW ones", () => {
    const csv = `${header}NODE_INTEGRATION_JS_CHECK,"HIGH","FIRM","shell/window.ts","7:14","new BrowserWindow({","Disable nodeIntegration",https://x\nX,"LOW","TENTATIVE","a.ts","1:1",N/A,"meh",https://x\nY,"MEDIUM","FIRM","b.ts","1:1","a, ""quoted"" sample","Review",https://x\n`;
    const { blocking } = judge(parseFindings(csv), []);
    expect(blocking.map((f) => f.check)).toEqual(["NODE_INTEGRATION_JS_CHECK", "Y"]);
  });

  it("accepts a finding only when a review names its check and file with a reason", () => {
    const csv = `${header}OPEN_EXTERNAL_JS_CHECK,"MEDIUM","TENTATIVE","shell/window.ts","1:1",N/A,"Review",https://x\n`;
    const findings = parseFindings(csv);
    expect(
      judge(findings, [
        { check: "OPEN_EXTERNAL_JS_CHECK", file: "shell/window.ts", reason: "allowlisted https only, unit-tested" },
      ]).blocking,
    ).toEqual([]);
    expect(
      judge(findings, [
        { check: "OPEN_EXTERNAL_JS_CHECK", file: "other.ts", reason: "allowlisted https only, unit-tested" },
      ]).blocking,
    ).toHaveLength(1);
    expect(
      judge(findings, [{ check: "OPEN_EXTERNAL_JS_CHECK", file: "shell/window.ts", reason: "ok" }]).blocking,
    ).toHaveLength(1);
  });

  it("refuses to pass on a missing or garbled report", () => {
    expect(() => parseFindings("")).toThrow(/missing or malformed/);
    expect(() => parseFindings("ted in the target application\n")).toThrow(/missing or malformed/);
  });
});
