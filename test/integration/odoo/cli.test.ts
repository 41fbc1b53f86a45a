import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { odooKeyFile } from "../../../electron/core/odoo/keys";
import { runCliCaptured } from "../../helpers/cli";
import { type OdooStandIn, startOdooStandIn } from "../../helpers/odoo-server";
import { tempDir } from "../../helpers/temp";

// Issue #18 item 1 and the CLI half of item 6: connecting an environment's Odoo and running its checks from the
// command line, exit 0 / 1 / 2 as the other checks; the key is nowhere but where it was put.
let dir: string;
let cleanup: () => void;
let odoo: OdooStandIn;
const outputs: string[] = [];
const env = { ...process.env, SHIFTGATE_DATA_DIR: undefined, ODOO_PROD_KEY: undefined } as Record<
  string,
  string | undefined
>;

async function cli(
  argv: string[],
  options: { stdin?: string; env?: Record<string, string | undefined>; noDataDir?: boolean } = {},
) {
  const result = await runCliCaptured(options.noDataDir ? argv : [...argv, "--data-dir", dir], {
    env: { ...env, ...options.env },
    stdin: options.stdin,
  });
  outputs.push(result.stdout, result.stderr);
  return result;
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  odoo = await startOdooStandIn({ version: "19.0" });
});
afterAll(async () => {
  await odoo.close();
  cleanup();
});

describe("shiftgate odoo", () => {
  it("connect --key-stdin keeps the key in a 0600 file, and status says where each key comes from", async () => {
    const qa = await cli(
      [
        "odoo",
        "connect",
        "--env",
        "qa",
        "--url",
        odoo.url,
        "--db",
        odoo.database,
        "--login",
        odoo.login,
        "--key-stdin",
      ],
      { stdin: `${odoo.apiKey}\n` },
    );
    expect(qa.code, qa.stderr).toBe(0);
    const file = odooKeyFile(dir, "qa");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(odoo.apiKey);

    const prod = await cli([
      "odoo",
      "connect",
      "--env",
      "production",
      "--url",
      odoo.url,
      "--db",
      odoo.database,
      "--login",
      odoo.login,
      "--key-env",
      "ODOO_PROD_KEY",
    ]);
    expect(prod.code, prod.stderr).toBe(0);

    const status = await cli(["odoo", "status", "--test", "--json"], { env: { ODOO_PROD_KEY: odoo.apiKey } });
    expect(status.code, status.stderr).toBe(0);
    const shown = JSON.parse(status.stdout);
    expect(shown.connections).toEqual([
      expect.objectContaining({
        environment: "production",
        keyEnv: "ODOO_PROD_KEY",
        key: { source: "env", where: "ODOO_PROD_KEY" },
      }),
      expect.objectContaining({ environment: "qa", keyEnv: null, key: { source: "file", where: file } }),
    ]);
    expect(
      shown.tests.map((t: { ok: boolean; answer: { api: string; serverVersion: string } }) => [
        t.ok,
        t.answer.api,
        t.answer.serverVersion,
      ]),
    ).toEqual([
      [true, "json2", "19.0"],
      [true, "json2", "19.0"],
    ]);
    const unset = await cli(["odoo", "status"]);
    expect(unset.stdout).toContain("production: ");
    expect(unset.stdout).toContain("no key stored");
    expect(unset.stdout).toContain(
      `qa: ${odoo.url} database ${odoo.database} as ${odoo.login}; key from 0600 file ${file}`,
    );
  });

  it("check exits 0 when every check passes, 1 when one fails, 2 when Odoo cannot be measured", async () => {
    const pass = await cli(["odoo", "check", "--env", "qa", "--json"]);
    expect(pass.code, pass.stderr).toBe(0);
    const run = JSON.parse(pass.stdout);
    expect(run).toMatchObject({ status: "pass", api: "json2", serverVersion: "19.0" });
    expect(run.checks.find((c: { id: string }) => c.id === "stock-negative-quants")).toMatchObject({
      value: 0,
      threshold: { op: "<=", value: 0 },
      status: "pass",
    });

    const quant = odoo.tables.get("stock.quant")?.find((q) => q.id === 1) ?? expect.fail("no quant");
    quant.quantity = -3;
    const fail = await cli(["odoo", "check", "--env", "qa", "--gate", "inventory-reservation"]);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toMatch(/fail\s+inventory-reservation\s+stock-negative-quants: 1 quants \(<= 0\)/);
    quant.quantity = 40;

    const wrongKey = await cli(["odoo", "check", "--env", "production"], {
      env: { ODOO_PROD_KEY: "not-the-key-at-all" },
    });
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toContain("refused the API key of shiftgate-bot");
    expect(wrongKey.stderr).not.toContain("not-the-key-at-all");

    const noKey = await cli(["odoo", "check", "--env", "production"]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("No Odoo API key is stored for production and ODOO_PROD_KEY is not set");

    const usage = await cli(["odoo", "check", "--env", "qa", "--gate", "payroll"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--gate must be one of");
  });

  it("check exits 2 with a clear message when the server is down", async () => {
    const down = await startOdooStandIn({ version: "17.0" });
    await cli(
      [
        "odoo",
        "connect",
        "--env",
        "integration",
        "--url",
        down.url,
        "--db",
        down.database,
        "--login",
        down.login,
        "--key-stdin",
      ],
      {
        stdin: down.apiKey,
      },
    );
    await down.close();
    const result = await cli(["odoo", "check", "--env", "integration", "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("could not be reached");
    expect(result.stderr).not.toContain(down.apiKey);
  });

  it("the key is absent from the register, its export and everything the commands printed", async () => {
    const keys = [odoo.apiKey];
    const registerFiles = readdirSync(dir).filter((f) => f.startsWith("register.sqlite"));
    expect(registerFiles.length).toBeGreaterThan(0);
    for (const f of registerFiles) {
      const bytes = readFileSync(join(dir, f));
      for (const key of keys) expect(bytes.includes(Buffer.from(key)), f).toBe(false);
    }
    for (const format of ["json", "csv"]) {
      const exported = await cli(["register", "export", "--db", join(dir, "register.sqlite"), "--format", format], {
        noDataDir: true,
      });
      expect(exported.code, exported.stderr).toBe(0);
      for (const key of keys) expect(exported.stdout).not.toContain(key);
    }
    for (const text of outputs) for (const key of keys) expect(text).not.toContain(key);
  });
});
