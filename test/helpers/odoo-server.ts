import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { OdooApi } from "../../electron/core/odoo/client";
import {
  createRows,
  fieldsGet,
  formattedReadGroup,
  OdooFault,
  type Row,
  readGroup,
  readRow,
  search,
  unlinkRows,
  writeRows,
} from "./odoo-orm";
import { healthySeed, MODEL_MODULE, type SeedVersion } from "./odoo-seed";

export { OdooFault, validationError } from "./odoo-orm";

// A stand-in Odoo for the tests, speaking both external APIs from Odoo's documentation (see the comment at the top
// of electron/core/odoo/client.ts): JSON-2 (19.0) with HTTP status codes and `{name, message, arguments, context,
// debug}` bodies, and JSON-RPC execute_kw (16.0-18.0, also still served by 19.0) with HTTP 200 and
// `{"error": {"code": 200, "message": "Odoo Server Error", "data": {name, message, ...}}}`.

export type MethodFn = (ids: number[], args: unknown[], kwargs: Record<string, unknown>, s: OdooStandIn) => unknown;

export interface OdooStandIn {
  url: string;
  database: string;
  login: string;
  apiKey: string;
  version: string;
  /** model -> rows; each row has an integer `id`. Tests mutate it directly to make a check pass or fail. */
  tables: Map<string, Array<Record<string, unknown>>>;
  /** technical module names installed; a model of a missing module answers like Odoo does for an unknown model */
  installed: Set<string>;
  /** models the API user may not read (Odoo answers AccessError) */
  denied: Set<string>;
  /** the stand-in's "now", from which the healthy seed's dates are set */
  readonly now: Date;
  /** register a business method (action_confirm, button_validate, ...) for a model */
  addMethod(model: string, method: string, fn: MethodFn): void;
  /** every request received (model, method, api), for tests that check what was or was not called */
  calls: Array<{ api: OdooApi; model: string; method: string }>;
  close(): Promise<void>;
}

export interface StandInOptions {
  readonly version?: "16.0" | "17.0" | "18.0" | "19.0";
  readonly seed?: "healthy" | "empty";
  /** defaults to the wall clock; tests with a fixed app clock pass the same instant */
  readonly now?: Date;
}

const UID = 2;

function versionInfo(version: string): Row {
  const major = Number(version.split(".")[0]);
  return {
    server_version: version,
    server_version_info: [major, 0, 0, "final", 0, ""],
    server_serie: version,
    protocol_version: 1,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function notFoundPage(res: ServerResponse): void {
  res.writeHead(404, { "Content-Type": "text/html; charset=utf-8" });
  res.end("<html><body><h1>404: Not Found</h1></body></html>");
}

function bind(names: readonly string[], args: readonly unknown[], kwargs: Row): Row {
  const out: Row = { ...kwargs };
  names.forEach((name, i) => {
    if (i < args.length) out[name] = args[i];
  });
  return out;
}

function sortAndSlice(rows: Row[], p: Row): Row[] {
  let out = rows;
  if (typeof p.order === "string" && p.order.length > 0) {
    const [field, dir] = p.order.split(/\s+/) as [string, string | undefined];
    const sign = dir?.toLowerCase() === "desc" ? -1 : 1;
    out = [...out].sort((a, b) => sign * String(a[field]).localeCompare(String(b[field]), "en", { numeric: true }));
  }
  const offset = typeof p.offset === "number" ? p.offset : 0;
  const limit = typeof p.limit === "number" && p.limit > 0 ? p.limit : undefined;
  return out.slice(offset, limit === undefined ? undefined : offset + limit);
}

function ids(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => Number.isInteger(v)) : [];
}

/** A generic ORM method, params bound by name (JSON-2 gives names; execute_kw positions are bound first). */
function generic(s: OdooStandIn, model: string, method: string, recIds: number[], p: Row): unknown {
  const t = s.tables;
  switch (method) {
    case "search":
      return sortAndSlice(search(t, model, p.domain), p).map((r) => r.id);
    case "search_read":
      return sortAndSlice(search(t, model, p.domain), p).map((r) => readRow(t, model, r, p.fields));
    case "search_count":
      return search(t, model, p.domain).length;
    case "read":
      return (t.get(model) ?? [])
        .filter((r) => recIds.includes(Number(r.id)))
        .map((r) => readRow(t, model, r, p.fields));
    case "read_group":
      return readGroup(t, model, p);
    case "formatted_read_group":
      if (Number(s.version.split(".")[0]) < 19) return undefined;
      return formattedReadGroup(t, model, p);
    case "create":
      return createRows(t, model, p.vals_list);
    case "write":
      return writeRows(t, model, recIds, p.vals);
    case "unlink":
      return unlinkRows(t, model, recIds);
    case "fields_get":
      return fieldsGet(t, model);
    case "context_get":
      return { lang: "en_US", tz: "Europe/Brussels", uid: UID };
    default:
      return undefined;
  }
}

// Positional parameters of the generic methods, for binding execute_kw's args (odoo/models.py signatures).
const POSITIONAL: Readonly<Record<string, readonly string[]>> = {
  search: ["domain", "offset", "limit", "order"],
  search_read: ["domain", "fields", "offset", "limit", "order"],
  search_count: ["domain", "limit"],
  read_group: ["domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"],
  formatted_read_group: ["domain", "groupby", "aggregates", "having", "offset", "limit", "order"],
  fields_get: ["allfields", "attributes"],
  create: ["vals_list"],
  read: ["ids", "fields"],
  write: ["ids", "vals"],
  unlink: ["ids"],
};

export async function startOdooStandIn(opts: StandInOptions = {}): Promise<OdooStandIn> {
  const version = opts.version ?? "17.0";
  const now = opts.now ?? new Date();
  const seeded = healthySeed(now, version as SeedVersion);
  const tables = new Map<string, Row[]>(
    opts.seed === "empty"
      ? [...seeded.tables.keys()].map((model) => [model, model === "res.users" ? (seeded.tables.get(model) ?? []) : []])
      : seeded.tables,
  );
  const methods = new Map<string, MethodFn>();

  const run = (
    api: OdooApi,
    model: string,
    method: string,
    recIds: number[],
    args: unknown[],
    kwargs: Row,
  ): unknown => {
    state.calls.push({ api, model, method });
    const module = MODEL_MODULE[model];
    if (!tables.has(model) || (module !== undefined && !state.installed.has(module))) {
      throw api === "json2"
        ? new OdooFault("werkzeug.exceptions.NotFound", `the model '${model}' does not exist`, 404)
        : new OdooFault("odoo.exceptions.UserError", `Object ${model} doesn't exist`);
    }
    if (state.denied.has(model)) {
      throw new OdooFault(
        "odoo.exceptions.AccessError",
        `You are not allowed to access '${model}' (${model}) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Settings`,
        403,
      );
    }
    const custom = methods.get(`${model}/${method}`);
    if (custom) return custom(recIds, args, kwargs, state);
    const result = generic(state, model, method, recIds, kwargs);
    if (result === undefined) {
      throw api === "json2"
        ? new OdooFault("werkzeug.exceptions.NotFound", `the method '${method}' does not exist on '${model}'`, 404)
        : new OdooFault("builtins.AttributeError", `The method '${model}.${method}' does not exist`, 200);
    }
    return result;
  };

  const json2 = async (req: IncomingMessage, res: ServerResponse, model: string, method: string): Promise<void> => {
    const fault = (f: OdooFault): void =>
      sendJson(res, f.status, {
        name: f.pyName,
        message: f.message,
        arguments: [f.message, f.status],
        context: {},
        debug: `Traceback (most recent call last):\n  ...\n${f.pyName}: ${f.message}\n`,
      });
    if (req.headers.authorization !== `bearer ${state.apiKey}`) {
      fault(new OdooFault("werkzeug.exceptions.Unauthorized", "Invalid apikey", 401));
      return;
    }
    try {
      const body = JSON.parse((await readBody(req)) || "{}") as Row;
      const { ids: bodyIds, context: _context, ...named } = body;
      sendJson(res, 200, run("json2", model, method, ids(bodyIds), [], named));
    } catch (error) {
      fault(error instanceof OdooFault ? error : new OdooFault("builtins.ValueError", String(error)));
    }
  };

  const jsonRpc = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = JSON.parse((await readBody(req)) || "{}") as Row;
    const params = (body.params ?? {}) as Row;
    const a = (params.args ?? []) as unknown[];
    const reply = (result: unknown): void => sendJson(res, 200, { jsonrpc: "2.0", id: body.id ?? null, result });
    const fault = (f: OdooFault): void =>
      sendJson(res, 200, {
        jsonrpc: "2.0",
        id: body.id ?? null,
        error: {
          code: 200,
          message: "Odoo Server Error",
          data: {
            name: f.pyName,
            debug: "Traceback (most recent call last):\n  ...\n",
            message: f.message,
            arguments: [f.message],
            context: {},
          },
        },
      });
    try {
      if (params.service === "common" && params.method === "version") return reply(versionInfo(state.version));
      if (params.service === "common" && params.method === "authenticate") {
        const ok = a[0] === state.database && a[1] === state.login && a[2] === state.apiKey;
        return reply(ok ? UID : false);
      }
      if (params.service === "object" && params.method === "execute_kw") {
        const [db, uid, key, model, method, args = [], kwargs = {}] = a as [
          string,
          number,
          string,
          string,
          string,
          unknown[],
          Row,
        ];
        if (db !== state.database || uid !== UID || key !== state.apiKey) {
          throw new OdooFault("odoo.exceptions.AccessDenied", "Access Denied", 200);
        }
        const names = POSITIONAL[method];
        if (names) {
          const p = bind(names, args, kwargs);
          return reply(run("jsonrpc", model, method, ids(p.ids), [], p));
        }
        // a business method: execute_kw passes the ids first, the rest as given
        const [first, ...rest] = args;
        return reply(run("jsonrpc", model, method, ids(first), rest, kwargs));
      }
      throw new OdooFault("builtins.KeyError", `unknown service ${String(params.service)}.${String(params.method)}`);
    } catch (error) {
      fault(error instanceof OdooFault ? error : new OdooFault("builtins.ValueError", String(error)));
    }
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    const major = Number(state.version.split(".")[0]);
    const json2Route = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
    if (req.method === "GET" && path === "/web/version") {
      // /web/version arrived in 17.0; 16.0 answers it with the plain 404 page
      if (major < 17) return notFoundPage(res);
      return sendJson(res, 200, versionInfo(state.version));
    }
    if (req.method === "POST" && path === "/jsonrpc") {
      void jsonRpc(req, res);
      return;
    }
    if (req.method === "POST" && json2Route && major >= 19) {
      void json2(req, res, decodeURIComponent(json2Route[1] as string), decodeURIComponent(json2Route[2] as string));
      return;
    }
    notFoundPage(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const state: OdooStandIn = {
    url: `http://127.0.0.1:${port}`,
    database: "plant-prod",
    login: "shiftgate-bot",
    apiKey: "sg-test-odoo-key-7f3a9c2e5b1d4f6a8c0e",
    version,
    tables,
    installed: new Set(seeded.installed),
    denied: new Set(),
    now,
    calls: [],
    addMethod(model, method, fn) {
      methods.set(`${model}/${method}`, fn);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return state;
}
