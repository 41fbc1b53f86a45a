import { describe, expect, it } from "vitest";
import { odooParams } from "../../../../../electron/core/odoo/orm-params";

// JSON-2 takes parameters by name; the client keeps execute_kw's positional convention, mapped here.
describe("execute_kw arguments as JSON-2 named parameters", () => {
  it("maps the ORM methods' positions to their names, and a record method's first argument to ids", () => {
    expect(odooParams("search_read", [[["state", "=", "done"]], ["name"], 0, 5], { order: "id desc" })).toEqual({
      domain: [["state", "=", "done"]],
      fields: ["name"],
      offset: 0,
      limit: 5,
      order: "id desc",
    });
    expect(odooParams("write", [[3, 4], { name: "x" }], {})).toEqual({ ids: [3, 4], vals: { name: "x" } });
    expect(odooParams("action_confirm", [[7]], { context: { lang: "en_US" } })).toEqual({
      ids: [7],
      context: { lang: "en_US" },
    });
    expect(odooParams("context_get", [], {})).toEqual({});
  });

  it("refuses what JSON-2 could only guess: a business method's extra positions, or ids that are not ids", () => {
    expect(() => odooParams("action_confirm", [[7], true], {})).toThrow(/pass the others by name/);
    expect(() => odooParams("button_validate", [["WH/OUT/1"]], {})).toThrow(/list of record ids/);
    expect(() => odooParams("search_count", [[], 1, 2], {})).toThrow(/at most 2 positional/);
  });
});
