import { describe, expect, it } from "vitest";
import { hiddenFromStored, LIST_COLUMNS } from "../../../../../renderer/features/register/list-columns";
import { csvCell, listCsv } from "../../../../../renderer/features/register/list-csv";
import { EMPTY_QUERY, type ListQuery, queryProblem } from "../../../../../renderer/features/register/list-query";
import { hashForQuery, queryFromHash } from "../../../../../renderer/features/register/list-url";
import { registerViewFromHash } from "../../../../../renderer/features/register/register-route";
import type { ChangeSummary } from "../../../../../shared/contract/index";

const FULL: ListQuery = {
  q: "odoo 17 upgrade",
  status: "approved",
  type: "normal",
  area: "mrp",
  risk: "high",
  environment: "production",
  plant: "berlin",
  windowFrom: "2026-12-01",
  windowTo: "2026-12-31",
  sort: { field: "title", dir: "asc" },
};

describe("register list state in the URL", () => {
  it("writes every filter and the sort into the hash and reads them back unchanged", () => {
    const hash = hashForQuery(FULL);
    expect(hash.startsWith("#/register?")).toBe(true);
    expect(queryFromHash(hash)).toEqual(FULL);
    // The hash still names the list, so the register shows the list for it.
    expect(registerViewFromHash(hash)).toEqual({ kind: "list" });
  });

  it("writes nothing for the empty list, and reads a bare query as the empty list", () => {
    expect(hashForQuery(EMPTY_QUERY)).toBe("#/register");
    expect(queryFromHash("#/register?")).toEqual(EMPTY_QUERY);
    expect(queryFromHash("#/register")).toEqual(EMPTY_QUERY);
  });

  it("refuses hostile or unknown values: each falls back to Any, never passed on", () => {
    const hostile = [
      "status=%3Cscript%3E",
      "type=__proto__",
      "area=constructor",
      "risk=HIGH",
      "environment=prod%0A",
      "plant=..%2F..%2Fetc",
      "from=1999-01-01",
      "to=2026-02-31",
      "sort=toString.asc",
      `q=${"x".repeat(201)}`,
    ].join("&");
    expect(queryFromHash(`#/register?${hostile}`)).toEqual(EMPTY_QUERY);
    expect(queryFromHash("#/register?q=a%00b").q).toBe("");
    expect(queryFromHash("#/register?q=a%E2%80%AEb").q).toBe("");
    expect(queryFromHash("#/register?from=9999-12-31").windowFrom).toBe("");
    expect(queryFromHash("#/register?sort=title.sideways").sort).toEqual({ field: "title", dir: "desc" });
  });

  it("names a window range whose from day is after its to day", () => {
    expect(queryProblem({ ...EMPTY_QUERY, windowFrom: "2026-12-10", windowTo: "2026-12-01" })).toMatch(
      /after the "to"/,
    );
    expect(queryProblem({ ...EMPTY_QUERY, windowFrom: "2026-12-01", windowTo: "2026-12-01" })).toBeNull();
    expect(queryProblem({ ...EMPTY_QUERY, windowFrom: "2026-12-10" })).toBeNull();
  });
});

describe("column choice kept per laptop", () => {
  it("reads stored hidden columns, ignoring unknown ids, the fixed number and title, and malformed values", () => {
    expect(hiddenFromStored('["risk","updated","bogus","title"]')).toEqual(["risk", "updated"]);
    expect(hiddenFromStored("{not json")).toEqual([]);
    expect(hiddenFromStored('{"risk":true}')).toEqual([]);
    expect(hiddenFromStored(null)).toEqual([]);
  });
});

describe("CSV export", () => {
  it("neutralises cells a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell("+1")).toBe(`"'+1"`);
    expect(csvCell("-2+3")).toBe(`"'-2+3"`);
    expect(csvCell("@SUM(A1)")).toBe(`"'@SUM(A1)"`);
    expect(csvCell("\tcmd")).toBe(`"'\tcmd"`);
    expect(csvCell("plain title")).toBe("plain title");
    expect(csvCell("a, b")).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
  });

  it("writes the chosen columns of the given rows, header first", () => {
    const row = {
      id: "01M8E14J5ZFZN5EEBBZFDKHS6S",
      number: "CHG-2026-0001",
      title: "=cmd|' /C calc'!A0",
      status: "draft",
      risk: "low",
      type: "normal",
      area: "mrp",
      plants: ["berlin", "pune"],
      stage: "development",
      environment: "production",
      window: null,
      updatedAt: "2026-12-04T10:00:00.000Z",
    } as unknown as ChangeSummary;
    const columns = LIST_COLUMNS.filter((c) => c.id === "number" || c.id === "title" || c.id === "plants");
    expect(listCsv([row], columns)).toBe(
      `Number,Title,Area · plants\r\nCHG-2026-0001,"'=cmd|' /C calc'!A0",mrp: berlin pune\r\n`,
    );
  });
});
