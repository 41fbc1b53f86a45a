import { AppError } from "../../../shared/contract/errors";

/** What Odoo said when a call failed, from either wire format. */
export interface OdooFailure {
  readonly status: number;
  /** the fully qualified Python exception, e.g. "odoo.exceptions.AccessError" */
  readonly name?: unknown;
  readonly message?: unknown;
  readonly model?: string;
}

/** Why a call failed, as the checks and the screens tell it apart. */
type OdooFailureKind = "wrong-key" | "access" | "not-installed" | "validation" | "unreachable" | "server";

interface Where {
  readonly conn: {
    readonly environment: string;
    readonly url: string;
    readonly database: string;
    readonly login: string;
  };
  readonly key: string;
}

const MAX_TEXT = 300;

/** Odoo's own text, shortened, with the key blanked out wherever a server echoed it back. */
function odooText(value: unknown, key: string): string {
  const text = typeof value === "string" ? value : "";
  const blanked = key.length > 0 ? text.split(key).join("[key]") : text;
  return blanked.length > MAX_TEXT ? `${blanked.slice(0, MAX_TEXT)}…` : blanked;
}

// JSON-2 answers an unknown model with 404 "the model 'x' does not exist"; execute_kw (16-18) raises
// UserError "Object x doesn't exist" (odoo/service/model.py). Both mean the module holding it is not installed.
const UNKNOWN_MODEL = /(does not exist|doesn't exist)/i;

function classify(failure: OdooFailure, text: string): OdooFailureKind {
  const name = typeof failure.name === "string" ? failure.name : "";
  if (failure.status === 401 || name === "odoo.exceptions.AccessDenied" || name.endsWith("Unauthorized")) {
    return "wrong-key";
  }
  if (failure.status === 403 || name === "odoo.exceptions.AccessError") return "access";
  if (UNKNOWN_MODEL.test(text) && /^Object |\bmodel\b/i.test(text) && !/\bmethod\b/i.test(text)) return "not-installed";
  if (
    failure.status === 422 ||
    name === "odoo.exceptions.ValidationError" ||
    name === "odoo.exceptions.UserError" ||
    name === "builtins.ValueError" ||
    name === "builtins.TypeError" ||
    name.endsWith("NotFound")
  ) {
    return "validation";
  }
  return "server";
}

/** Turns Odoo's error answer into the AppError every door shows; the key is never part of it. */
export function odooFailure(where: Where, failure: OdooFailure, what: string): AppError {
  const { conn } = where;
  const text = odooText(failure.message, where.key);
  const kind = classify(failure, text);
  const odoo = text.length > 0 ? ` Odoo said: "${text}".` : "";
  const base = { kind, environment: conn.environment, ...(failure.model ? { model: failure.model } : {}) };
  switch (kind) {
    case "wrong-key":
      return new AppError(
        "unauthorised",
        `Odoo at ${conn.url} refused the API key of ${conn.login} on database ${conn.database} (${conn.environment}). ` +
          `Create a new API key for that user in Odoo (Preferences > Account Security) and store it again with "shiftgate odoo connect".`,
        base,
      );
    case "access":
      return new AppError(
        "forbidden",
        `Odoo user ${conn.login} may not run ${what} in ${conn.environment}.${odoo} ` +
          "Give the API user read access to that model (for checks, a read-only user is enough).",
        base,
      );
    case "not-installed":
      return new AppError(
        "not-found",
        `${failure.model ?? what} is not installed in ${conn.environment}'s Odoo.${odoo} ` +
          "Install the module that provides it, or leave out the check that needs it.",
        base,
      );
    case "validation":
      return new AppError(
        "invalid-input",
        `Odoo refused ${what} in ${conn.environment} as invalid.${odoo} Correct the values or the check definition and try again.`,
        base,
      );
    default:
      return new AppError(
        "unavailable",
        `Odoo in ${conn.environment} failed on ${what} (HTTP ${failure.status}).${odoo} Try again; if it keeps failing, ask the Odoo administrator to look at the server log.`,
        base,
      );
  }
}

/** The server could not be reached or did not answer like Odoo. */
export function unreachable(conn: Where["conn"], what: string, error: unknown): AppError {
  const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : "";
  return new AppError(
    "unavailable",
    `Odoo at ${conn.url} (${conn.environment}) could not be reached for ${what}${cause ? ` (${cause})` : ""}. ` +
      "Check the URL and that the server is running, then try again.",
    { kind: "unreachable", environment: conn.environment },
  );
}
