import type { OdooClient } from "./client";

/**
 * The part of the Odoo client (client.ts) the smoke runs use, so a test can hand them any client. Calls follow
 * execute_kw's convention: record methods take the ids as the first positional argument, everything else by keyword
 * (Odoo external API, odoo/documentation content/developer/reference/external_api.rst); the client maps them to JSON-2.
 */
export type SmokeOdoo = Pick<OdooClient, "serverVersion" | "call">;

/** One row of a search_read answer. */
export type OdooRow = Readonly<Record<string, unknown>>;

/** search_read with a domain, the fields wanted and a limit. */
export async function searchRead(
  odoo: SmokeOdoo,
  model: string,
  domain: unknown[],
  fields: readonly string[],
  limit = 80,
): Promise<OdooRow[]> {
  const rows = await odoo.call(model, "search_read", [], { domain, fields: [...fields], limit });
  return Array.isArray(rows) ? rows.filter((r): r is OdooRow => typeof r === "object" && r !== null) : [];
}

/** The id a create answered: one id, or the first of a list (create takes a list of values since Odoo 12). */
export function createdId(value: unknown): number {
  const id = Array.isArray(value) ? value[0] : value;
  if (typeof id !== "number" || !Number.isInteger(id)) {
    throw new Error("Odoo did not answer the create with a record id.");
  }
  return id;
}

/** A row's integer id. */
export function idOf(row: OdooRow): number {
  const id = row.id;
  if (typeof id !== "number") throw new Error("Odoo answered a record without an id.");
  return id;
}

/** A many2one value ([id, name] in Odoo's answers) as its id, or null. */
export function many2oneId(value: unknown): number | null {
  if (Array.isArray(value) && typeof value[0] === "number") return value[0];
  return typeof value === "number" ? value : null;
}

/** A UTC instant as Odoo's datetime string ("YYYY-MM-DD HH:MM:SS"), as domains compare it. */
export function odooDatetime(at: Date): string {
  return at.toISOString().slice(0, 19).replace("T", " ");
}
