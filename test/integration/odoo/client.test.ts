import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type OdooClient, openOdoo } from "../../../electron/core/odoo/client";
import { isAppError } from "../../../shared/contract/errors";
import { type OdooStandIn, startOdooStandIn, validationError } from "../../helpers/odoo-server";

let standIn: OdooStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function connect(
  version: "16.0" | "17.0" | "18.0" | "19.0",
  key?: string,
): Promise<{ s: OdooStandIn; client: OdooClient }> {
  standIn = await startOdooStandIn({ version });
  const s = standIn;
  const conn = { environment: "production", url: s.url, database: s.database, login: s.login };
  return { s, client: await openOdoo(conn, key ?? s.apiKey) };
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; kind: unknown }> {
  try {
    await p;
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { code: error.code, message: error.message, kind: error.details?.kind };
  }
  throw new Error("expected the call to fail");
}

const VERSIONS = [
  ["16.0", "jsonrpc"],
  ["17.0", "jsonrpc"],
  ["18.0", "jsonrpc"],
  ["19.0", "json2"],
] as const;

describe.each(VERSIONS)("the Odoo client against a %s server", (version, api) => {
  it(`speaks ${api}, reports the server version and runs the ORM methods`, async () => {
    const { s, client } = await connect(version);
    expect(client.api).toBe(api);
    expect(client.serverVersion).toBe(version);

    const quants = await client.call(
      "stock.quant",
      "search_read",
      [
        [
          ["quantity", "<", 0],
          ["location_id.usage", "=", "internal"],
        ],
      ],
      {
        fields: ["quantity", "location_id"],
      },
    );
    expect(quants).toEqual([]);
    const customerQuants = await client.call("stock.quant", "search_read", [
      [["location_id.usage", "=", "customer"]],
      ["quantity", "location_id"],
    ]);
    expect(customerQuants).toEqual([{ id: 3, quantity: -12, location_id: [5, "Partners/Customers"] }]);
    expect(
      await client.call("stock.move", "search_count", [["|", ["state", "=", "done"], ["state", "=", "assigned"]]]),
    ).toBe(2);

    const groups = await client.call(
      "account.move.line",
      "read_group",
      [[["parent_state", "=", "posted"]], ["balance:sum"], []],
      { lazy: false },
    );
    expect(groups).toEqual([expect.objectContaining({ __count: 4, balance: 0 })]);

    const [id] = (await client.call("res.partner", "create", [[{ name: "Smoke customer" }]])) as number[];
    await client.call("res.partner", "write", [[id as number], { name: "Smoke customer 2" }]);
    expect(await client.call("res.partner", "read", [[id as number], ["name"]])).toEqual([
      { id, name: "Smoke customer 2" },
    ]);
    await client.call("res.partner", "unlink", [[id as number]]);
    expect(await client.call("res.partner", "search_count", [[["id", "=", id]]])).toBe(0);

    s.addMethod("sale.order", "action_confirm", (ids, _args, kwargs, st) => {
      for (const row of st.tables.get("sale.order") ?? []) if (ids.includes(Number(row.id))) row.state = "sale";
      return { confirmed: ids, context: kwargs.context ?? null };
    });
    expect(await client.call("sale.order", "action_confirm", [[1]], {})).toEqual({ confirmed: [1], context: null });

    expect(s.calls.filter((c) => c.api === api).map((c) => `${c.model}.${c.method}`)).toContain(
      "sale.order.action_confirm",
    );
    expect(s.calls.every((c) => c.api === api)).toBe(true);
  });

  it("answers a wrong key with a clear refusal that never holds the key", async () => {
    standIn = await startOdooStandIn({ version });
    const s = standIn;
    const wrong = "wrong-key-0123456789abcdef";
    const f = await failure(
      openOdoo({ environment: "production", url: s.url, database: s.database, login: s.login }, wrong),
    );
    expect(f).toMatchObject({ code: "unauthorised", kind: "wrong-key" });
    expect(f.message).toContain("refused the API key of shiftgate-bot");
    expect(f.message).not.toContain(wrong);
  });

  it("tells an access error, a model that is not installed and a validation error apart", async () => {
    const { s, client } = await connect(version);
    s.denied.add("account.move");
    const access = await failure(client.call("account.move", "search_count", [[]]));
    expect(access).toMatchObject({ code: "forbidden", kind: "access" });
    expect(access.message).toContain("Give the API user read access");

    s.installed.delete("queue_job");
    const missing = await failure(client.call("queue.job", "search_count", [[["state", "=", "failed"]]]));
    expect(missing).toMatchObject({ code: "not-found", kind: "not-installed" });
    expect(missing.message).toContain("queue.job is not installed in production's Odoo");

    s.addMethod("sale.order", "action_confirm", () => {
      throw validationError("A customer is required to confirm a quotation.");
    });
    const invalid = await failure(client.call("sale.order", "action_confirm", [[1]]));
    expect(invalid).toMatchObject({ code: "invalid-input", kind: "validation" });
    expect(invalid.message).toContain("A customer is required to confirm a quotation.");

    const badField = await failure(client.call("stock.move", "search_count", [[["no_such_field", "=", 1]]]));
    expect(badField).toMatchObject({ code: "invalid-input", kind: "validation" });

    for (const f of [access, missing, invalid, badField]) expect(f.message).not.toContain(s.apiKey);
  });

  it("says the server is unreachable when it is down", async () => {
    const { s, client } = await connect(version);
    await s.close();
    standIn = undefined;
    const down = await failure(client.call("stock.move", "search_count", [[]]));
    expect(down).toMatchObject({ code: "unavailable", kind: "unreachable" });
    expect(down.message).toContain("could not be reached");
    const opening = await failure(
      openOdoo({ environment: "production", url: s.url, database: s.database, login: s.login }, s.apiKey),
    );
    expect(opening).toMatchObject({ code: "unavailable", kind: "unreachable" });
  });
});

describe("the empty stand-in", () => {
  it("knows the same models with no rows, so tests fill in only what they need", async () => {
    standIn = await startOdooStandIn({ version: "18.0", seed: "empty" });
    const s = standIn;
    const client = await openOdoo({ environment: "qa", url: s.url, database: s.database, login: s.login }, s.apiKey);
    expect(await client.call("stock.move", "search_count", [[]])).toBe(0);
    expect(await client.call("res.users", "search_count", [[]])).toBe(1);
    const [id] = (await client.call("stock.move", "create", [
      [{ state: "confirmed", date: "2026-12-01 00:00:00" }],
    ])) as number[];
    expect(await client.call("stock.move", "search_read", [[["state", "=", "confirmed"]], ["state"]])).toEqual([
      { id, state: "confirmed" },
    ]);
  });
});

describe("a server that never answers", () => {
  it("is reported as not answering once the request's time is up, instead of holding the check", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const f = await failure(
        openOdoo({ environment: "qa", url, database: "plant", login: "bot" }, "a-key-0123456789", fetch, {
          timeoutMs: 200,
        }),
      );
      expect(f).toMatchObject({ code: "unavailable", kind: "unreachable" });
      expect(f.message).toContain("could not be reached for the server version");
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe("the Odoo 19 stand-in", () => {
  it("groups with formatted_read_group and refuses JSON-2 on older servers", async () => {
    const { client } = await connect("19.0");
    const groups = await client.call("account.move.line", "formatted_read_group", [
      [],
      ["move_id"],
      ["balance:sum", "__count"],
    ]);
    expect(groups).toEqual([
      expect.objectContaining({ move_id: [1, "INV/2026/00001"], "balance:sum": 0, __count: 2 }),
      expect.objectContaining({ move_id: [2, "BILL/2026/00001"], "balance:sum": 0, __count: 2 }),
    ]);
    await standIn?.close();
    standIn = await startOdooStandIn({ version: "17.0" });
    const res = await fetch(`${standIn.url}/json/2/res.partner/search_count`, {
      method: "POST",
      headers: { Authorization: `bearer ${standIn.apiKey}`, "Content-Type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(404);
  });
});
