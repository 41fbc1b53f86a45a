import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  findSuppressions,
  judge,
  parseReviews,
  passes,
  type ReviewedFinding,
  toFindings,
} from "../../../build/security/gate";

const line = "if (isAllowedExternalUrl(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK";
const source = { file: "shell/window.ts", text: `import x from "y";\n  // why\n  ${line}\n` };
const review: ReviewedFinding = {
  check: "OPEN_EXTERNAL_JS_CHECK",
  file: "shell/window.ts",
  sample: line,
  reason: "allowlisted https only, unit-tested in guards.test.ts",
};

function issue(id: string, severity: string, file = "shell/window.ts", sample = "new BrowserWindow({") {
  return {
    id,
    severity: { value: 2, name: severity },
    confidence: { name: "FIRM" },
    file,
    location: { line: 7 },
    sample,
    description: "d",
  };
}

describe("security gate", () => {
  it("blocks any CRITICAL, HIGH or MEDIUM finding and lets LOW and INFORMATIONAL through", () => {
    const findings = toFindings([
      issue("NODE_INTEGRATION_JS_CHECK", "HIGH"),
      issue("X", "LOW"),
      issue("Y", "MEDIUM"),
      issue("Z", "INFORMATIONAL"),
      issue("W", "CRITICAL"),
    ]);
    const j = judge(findings, [], []);
    expect(j.blocking.map((f) => f.check)).toEqual(["NODE_INTEGRATION_JS_CHECK", "Y", "W"]);
    expect(passes(j)).toBe(false);
    expect(passes(judge(toFindings([issue("X", "LOW")]), [], []))).toBe(true);
  });

  it("refuses issues that are not whole findings", () => {
    expect(() => toFindings(undefined)).toThrow(/no list of issues/);
    expect(() => toFindings([{ id: "X" }])).toThrow(/issue 1 is not a finding/);
    expect(() => toFindings([issue("X", "SEVERE")])).toThrow(/issue 1 is not a finding/);
    expect(() => toFindings([{ ...issue("X", "LOW"), id: 3 }])).toThrow(/issue 1 is not a finding/);
  });

  it("finds every eng-disable directive, in // and /* */ and <!-- --> comments, with its line", () => {
    const found = findSuppressions([
      source,
      { file: "a.ts", text: "x;\nfoo(); /* eng-disable dangerousFunctionsJSCheck  OPEN_EXTERNAL_JS_CHECK */" },
      { file: "b.html", text: "<p>\n<webview></webview> <!-- eng-disable BLINK_FEATURES_HTML_CHECK -->" },
      { file: "c.ts", text: "// nothing to see: engine disabled\nconst s = 'eng-disable';" },
    ]);
    expect(found.map((s) => `${s.file}:${s.line} ${s.check}`)).toEqual([
      "shell/window.ts:3 OPEN_EXTERNAL_JS_CHECK",
      "a.ts:2 DANGEROUSFUNCTIONSJSCHECK",
      "a.ts:2 OPEN_EXTERNAL_JS_CHECK",
      "b.html:2 BLINK_FEATURES_HTML_CHECK",
    ]);
    expect(found[0]?.sample).toBe(line);
  });

  it("accepts a directive only with a review naming its check, file and exact line with a reason", () => {
    const s = findSuppressions([source]);
    expect(passes(judge([], s, [review]))).toBe(true);
    expect(judge([], s, [review]).accepted[0]?.reason).toBe(review.reason);
    for (const wrong of [
      { ...review, file: "other.ts" },
      { ...review, check: "PRELOAD_JS_CHECK" },
      { ...review, sample: "void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK" },
      { ...review, reason: "ok, fine" },
    ]) {
      const j = judge([], s, [wrong]);
      expect(j.unreviewed).toHaveLength(1);
      expect(passes(j)).toBe(false);
    }
  });

  it("blocks a second directive of a reviewed kind in the same file: a review covers one line", () => {
    const s = findSuppressions([
      {
        ...source,
        text: `${source.text}void shell.openExternal(message.url); // eng-disable OPEN_EXTERNAL_JS_CHECK\n`,
      },
    ]);
    const j = judge([], s, [review]);
    expect(j.accepted).toHaveLength(1);
    expect(j.unreviewed.map((u) => u.line)).toEqual([4]);
  });

  it("never accepts a directive on a file's first line, which would silence the check for the whole file", () => {
    const text = "// eng-disable OPEN_EXTERNAL_JS_CHECK\nshell.openExternal(a);\n";
    const s = findSuppressions([{ file: "shell/x.ts", text }]);
    expect(s[0]?.fileWide).toBe(true);
    const j = judge([], s, [{ ...review, file: "shell/x.ts", sample: "// eng-disable OPEN_EXTERNAL_JS_CHECK" }]);
    expect(j.unreviewed).toHaveLength(1);
    expect(passes(j)).toBe(false);
  });

  it("blocks a review whose line is gone, so the record says what the code does", () => {
    const j = judge([], [], [review]);
    expect(j.stale).toEqual([review]);
    expect(passes(j)).toBe(false);
  });

  it("reads the review file and names an entry that lacks a field", () => {
    expect(parseReviews([review])).toEqual([review]);
    expect(() => parseReviews({})).toThrow(/must be a list/);
    expect(() => parseReviews([review, { check: "X", file: "a.ts", reason: "long enough reason here" }])).toThrow(
      /entry 2 lacks sample/,
    );
  });

  it("the project's reviews match the directives in electron/ one for one", () => {
    const walk = (dir: string): { file: string; text: string }[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? walk(join(dir, e.name))
          : /\.(tsx?|jsx?|html?)$/.test(e.name)
            ? [{ file: relative("electron", join(dir, e.name)), text: readFileSync(join(dir, e.name), "utf8") }]
            : [],
      );
    const reviews = parseReviews(JSON.parse(readFileSync("build/security-review.json", "utf8")));
    const j = judge([], findSuppressions(walk("electron")), reviews);
    expect(j.unreviewed).toEqual([]);
    expect(j.stale).toEqual([]);
    expect(j.accepted.map((a) => a.suppression.check).sort()).toEqual([
      "OPEN_EXTERNAL_JS_CHECK",
      "PRELOAD_JS_CHECK",
      "PROTOCOL_HANDLER_JS_CHECK",
    ]);
  });
});
