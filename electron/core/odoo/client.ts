import { AppError } from "../../../shared/contract/errors";
import { majorOf } from "./odoo-time";
import { odooParams } from "./orm-params";
import { type OdooFailure, odooFailure, unreachable } from "./wire-errors";

// Odoo's two external APIs, as documented by Odoo:
// - JSON-2 (Odoo 19+), odoo/documentation content/developer/reference/external_api.rst ("External JSON-2 API"):
//   POST {url}/json/2/{model}/{method}, headers `Authorization: bearer <key>`, `X-Odoo-Database`, a JSON object body
//   `{ids?, context?, ...named params}`; success is 200 with the return value, errors are 4xx/5xx with
//   `{name, message, arguments, context, debug}` (401 werkzeug.exceptions.Unauthorized "Invalid apikey").
// - JSON-RPC (Odoo 16-18), the "External API" page of the same docs (deprecated in 19): POST {url}/jsonrpc with
//   `{"jsonrpc":"2.0","method":"call","params":{"service":"object","method":"execute_kw","args":[db, uid, key,
//   model, method, args, kwargs]}}`, uid from `common.authenticate(db, login, key, {})` (false on a wrong key).
//   Errors are HTTP 200 with `{"error":{"code":200,"message":"Odoo Server Error","data":{name, message, ...}}}`.
// The server version comes from GET {url}/web/version (Odoo 17+) or JSON-RPC `common.version` (Odoo 16).

export type OdooApi = "json2" | "jsonrpc";

interface OdooConnection {
  environment: string;
  url: string;
  database: string;
  login: string;
}

export interface OdooClient {
  /** json2 for server version >= 19, jsonrpc (execute_kw) for 16-18 */
  readonly api: OdooApi;
  /** server_version from /web/version, e.g. "17.0" */
  readonly serverVersion: string;
  /**
   * Calls a model method with execute_kw's convention on both APIs: for a record method the first positional
   * argument is the list of ids; the ORM's own methods (search_read, read_group, create, ...) take their usual
   * positional arguments; a business method takes its other arguments by name in kwargs.
   */
  call(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>): Promise<unknown>;
}

type FetchFn = typeof fetch;

interface Wire {
  readonly conn: OdooConnection;
  readonly key: string;
  readonly fetchFn: FetchFn;
  readonly timeoutMs: number;
}

/** How long one request (answer included) may take before the server counts as not answering. */
const DEFAULT_ODOO_TIMEOUT_MS = 60_000;

function baseUrl(url: string): string {
  return url.replace(/\/+$/, "");
}

async function send(wire: Wire, path: string, init: RequestInit, what: string): Promise<Response> {
  try {
    // A server that accepts the connection and never answers must not hold a check (or a pipeline) forever.
    return await wire.fetchFn(`${baseUrl(wire.conn.url)}${path}`, {
      ...init,
      signal: AbortSignal.timeout(wire.timeoutMs),
    });
  } catch (error) {
    throw unreachable(wire.conn, what, error);
  }
}

async function readJson(wire: Wire, response: Response, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw unreachable(wire.conn, what, error);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw unreachable(wire.conn, what, new Error(`HTTP ${response.status}, not a JSON answer`));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

async function jsonRpc(
  wire: Wire,
  service: string,
  method: string,
  args: unknown[],
  what: string,
  model?: string,
): Promise<unknown> {
  const body = JSON.stringify({ jsonrpc: "2.0", method: "call", params: { service, method, args }, id: 1 });
  const response = await send(
    wire,
    "/jsonrpc",
    { method: "POST", headers: { "Content-Type": "application/json" }, body },
    what,
  );
  const answer = await readJson(wire, response, what);
  if (!isRecord(answer)) throw unreachable(wire.conn, what, new Error("the answer is not a JSON-RPC envelope"));
  if (isRecord(answer.error)) {
    const data = isRecord(answer.error.data) ? answer.error.data : {};
    const message = data.message ?? answer.error.message;
    throw odooFailure(wire, { status: response.status, name: data.name, message, model }, what);
  }
  if (!response.ok) throw odooFailure(wire, { status: response.status }, what);
  return answer.result;
}

async function serverVersion(wire: Wire): Promise<string> {
  const response = await send(wire, "/web/version", { method: "GET" }, "the server version");
  let info: unknown;
  if (response.status === 404) {
    // Odoo 16 has no /web/version route; its JSON-RPC common service answers the same version_info.
    info = await jsonRpc(wire, "common", "version", [], "the server version");
  } else if (response.ok) {
    info = await readJson(wire, response, "the server version");
  } else {
    throw odooFailure(wire, { status: response.status }, "the server version");
  }
  const version = isRecord(info) ? info.server_version : undefined;
  if (typeof version !== "string" || !/^(saas~)?\d+/.test(version)) {
    throw unreachable(wire.conn, "the server version", new Error("the answer has no server_version"));
  }
  return version;
}

async function json2Call(
  wire: Wire,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): Promise<unknown> {
  const what = `${model}.${method}`;
  const body = JSON.stringify(odooParams(method, args, kwargs));
  const response = await send(
    wire,
    `/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`,
    {
      method: "POST",
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        Authorization: `bearer ${wire.key}`,
        "X-Odoo-Database": wire.conn.database,
        "User-Agent": "Shiftgate",
      },
      body,
    },
    what,
  );
  const answer = await readJson(wire, response, what);
  if (!response.ok) {
    const failure: OdooFailure = isRecord(answer)
      ? { status: response.status, name: answer.name, message: answer.message, model }
      : { status: response.status, message: answer, model };
    throw odooFailure(wire, failure, what);
  }
  return answer;
}

/**
 * Opens a connection to an environment's Odoo: reads the server version, picks the API it speaks and proves the key
 * (a wrong key fails here, not on the first check). Every failure is an AppError whose message never holds the key.
 */
export async function openOdoo(
  conn: OdooConnection,
  apiKey: string,
  fetchFn: FetchFn = fetch,
  options: { readonly timeoutMs?: number } = {},
): Promise<OdooClient> {
  if (apiKey.length === 0) {
    throw new AppError(
      "unauthorised",
      `No Odoo API key is stored for ${conn.environment}. Store one with "shiftgate odoo connect --env ${conn.environment} ... --key-stdin".`,
      { kind: "wrong-key" },
    );
  }
  const wire: Wire = { conn, key: apiKey, fetchFn, timeoutMs: options.timeoutMs ?? DEFAULT_ODOO_TIMEOUT_MS };
  const version = await serverVersion(wire);
  if (majorOf(version) >= 19) {
    await json2Call(wire, "res.users", "context_get", [], {});
    return {
      api: "json2",
      serverVersion: version,
      call: (model, method, args, kwargs = {}) => json2Call(wire, model, method, args, kwargs),
    };
  }
  const uid = await jsonRpc(wire, "common", "authenticate", [conn.database, conn.login, apiKey, {}], "sign-in");
  if (typeof uid !== "number") throw odooFailure(wire, { status: 401 }, "sign-in");
  return {
    api: "jsonrpc",
    serverVersion: version,
    call: (model, method, args, kwargs = {}) =>
      jsonRpc(
        wire,
        "object",
        "execute_kw",
        [conn.database, uid, apiKey, model, method, args, kwargs],
        `${model}.${method}`,
        model,
      ),
  };
}
