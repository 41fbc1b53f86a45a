import { describe, expect, it } from "vitest";
import { EMPTY_QUERY, isFiltered, listInput } from "../../../../../renderer/features/register/list-query";
import { registerHref, registerViewFromHash } from "../../../../../renderer/features/register/register-route";

const ID = "01M8E14J5ZFZN5EEBBZFDKHS6S";

describe("register routes", () => {
  it("reads every register screen from the hash and writes it back", () => {
    for (const hash of ["#/register", "#/register/new", `#/register/${ID}`, `#/register/${ID}/edit`]) {
      expect(registerHref(registerViewFromHash(hash))).toBe(hash);
    }
    expect(registerViewFromHash("#/register/not-an-id")).toEqual({ kind: "list" });
    expect(registerViewFromHash("")).toEqual({ kind: "list" });
  });

  it("opens a change by its ledger number, as the links gitops notify sends name it", () => {
    expect(registerViewFromHash("#/register/CHG-2026-0042")).toEqual({ kind: "number", number: "CHG-2026-0042" });
    expect(registerHref({ kind: "number", number: "CHG-2026-0042" })).toBe("#/register/CHG-2026-0042");
    for (const bad of ["#/register/CHG-2026-42", "#/register/chg-2026-0042", "#/register/CHG-2026-0042/edit"])
      expect(registerViewFromHash(bad)).toEqual({ kind: "list" });
  });
});

describe("list query", () => {
  it("sends only the filters that are set, with an inclusive last day", () => {
    expect(listInput(EMPTY_QUERY)).toEqual({ sort: { field: "updatedAt", dir: "desc" } });
    const input = listInput({ ...EMPTY_QUERY, q: " bom ", plant: " Berlin ", risk: "high", windowTo: "2026-12-05" });
    expect(input.q).toBe("bom");
    expect(input.plant).toEqual(["berlin"]);
    expect(input.risk).toEqual(["high"]);
    expect(Date.parse(input.windowTo ?? "")).toBe(new Date("2026-12-06T00:00:00").getTime());
    expect(isFiltered(EMPTY_QUERY)).toBe(false);
    expect(isFiltered({ ...EMPTY_QUERY, status: "draft" })).toBe(true);
  });
});
