import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { judge, parseFindings, parseReviews } from "../../../build/security/gate";

const header = "issue, severity, confidence, filename, location, sample, description, url\n";
const openExternal = "if (isAllowedExternalUrl(url)) void shell.openExternal(url);";
const review = {
  check: "OPEN_EXTERNAL_JS_CHECK",
  file: "shell/window.ts",
  sample: openExternal,
  reason: "allowlisted https only, unit-tested",
};

function row(check: string, severity: string, file: string, sample: string): string {
  return `${check},"${severity}","TENTATIVE","${file}","1:1","${sample.replaceAll('"', '""')}","Review",https://x\n`;
}

describe("security gate", () => {
  it("blocks an unreviewed HIGH or MEDIUM finding and ignores LOW ones", () => {
    const csv = `${header}NODE_INTEGRATION_JS_CHECK,"HIGH","FIRM","shell/window.ts","7:14","new BrowserWindow({","Disable nodeIntegration",https://x\nX,"LOW","TENTATIVE","a.ts","1:1",N/A,"meh",https://x\nY,"MEDIUM","FIRM","b.ts","1:1","a, ""quoted"" sample","Review",https://x\n`;
    const findings = parseFindings(csv);
    expect(findings[2]?.sample).toBe('a, "quoted" sample');
    const { blocking } = judge(findings, []);
    expect(blocking.map((f) => f.check)).toEqual(["NODE_INTEGRATION_JS_CHECK", "Y"]);
  });

  it("accepts a finding only when a review names its check, file and flagged line with a reason", () => {
    const findings = parseFindings(
      `${header}${row("OPEN_EXTERNAL_JS_CHECK", "MEDIUM", "shell/window.ts", openExternal)}`,
    );
    expect(judge(findings, [review]).blocking).toEqual([]);
    expect(judge(findings, [review]).accepted[0]?.reason).toBe(review.reason);
    expect(judge(findings, [{ ...review, file: "other.ts" }]).blocking).toHaveLength(1);
    expect(judge(findings, [{ ...review, reason: "ok" }]).blocking).toHaveLength(1);
    expect(judge(findings, [{ ...review, check: "PRELOAD_JS_CHECK" }]).blocking).toHaveLength(1);
  });

  it("blocks a second call of a reviewed kind in the same file: the review covers one line", () => {
    const csv = `${header}${row("OPEN_EXTERNAL_JS_CHECK", "MEDIUM", "shell/window.ts", openExternal)}${row("OPEN_EXTERNAL_JS_CHECK", "MEDIUM", "shell/window.ts", "void shell.openExternal(message.url);")}`;
    const { blocking, accepted } = judge(parseFindings(csv), [review]);
    expect(accepted).toHaveLength(1);
    expect(blocking.map((f) => f.sample)).toEqual(["void shell.openExternal(message.url);"]);
  });

  it("refuses to pass on a missing, garbled or cut-short report", () => {
    expect(() => parseFindings("")).toThrow(/missing or malformed/);
    expect(() => parseFindings("ted in the target application\n")).toThrow(/missing or malformed/);
    // Seen from the tool itself: a row whose start was overwritten, leaving the tail of a CSP sample.
    const cut = `${header}efault-src 'none'; object-src 'none'","One or more CSP directives detected seems to be vulnerable",https://x\n`;
    expect(() => parseFindings(cut)).toThrow(/row 2 is not a finding/);
    expect(() => parseFindings(`${header}${row("X", "SEVERE", "a.ts", "x")}`)).toThrow(/row 2 is not a finding/);
  });

  it("reads the review file and names an entry that lacks a field", () => {
    expect(parseReviews([review])).toEqual([review]);
    expect(() => parseReviews({})).toThrow(/must be a list/);
    expect(() => parseReviews([review, { check: "X", file: "a.ts", reason: "long enough reason here" }])).toThrow(
      /entry 2 lacks sample/,
    );
  });

  it("the project's own review file is well formed and reviews no CSP finding (the CSP is set in csp.ts)", () => {
    const reviews = parseReviews(JSON.parse(readFileSync("build/security-review.json", "utf8")));
    expect(reviews.map((r) => r.check).sort()).toEqual(["OPEN_EXTERNAL_JS_CHECK", "PRELOAD_JS_CHECK"]);
  });
});
