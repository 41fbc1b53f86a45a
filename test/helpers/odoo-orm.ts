// The generic ORM methods of the stand-in Odoo over in-memory rows: domains in Odoo's prefix notation, many2one
// values stored as ids and read back as [id, display_name], dotted paths through the relations below.

export type Row = Record<string, unknown>;
export type Tables = Map<string, Row[]>;

/** An Odoo exception the stand-in raises; the server renders it in the caller's wire format. */
export class OdooFault extends Error {
  constructor(
    readonly pyName: string,
    message: string,
    /** the HTTP status JSON-2 answers with */
    readonly status = 422,
  ) {
    super(message);
  }
}

export function validationError(message: string): OdooFault {
  return new OdooFault("odoo.exceptions.ValidationError", message, 422);
}

/** many2one fields of the seeded models and the model they point to. */
export const RELATIONS: Readonly<Record<string, string>> = {
  "stock.quant.location_id": "stock.location",
  "stock.quant.product_id": "product.product",
  "stock.move.product_id": "product.product",
  "stock.move.location_id": "stock.location",
  "stock.move.location_dest_id": "stock.location",
  "stock.move.picking_id": "stock.picking",
  "stock.move.production_id": "mrp.production",
  "stock.move.raw_material_production_id": "mrp.production",
  "stock.warehouse.orderpoint.product_id": "product.product",
  "stock.warehouse.orderpoint.location_id": "stock.location",
  "mrp.production.product_id": "product.product",
  "mrp.workorder.production_id": "mrp.production",
  "mail.activity.activity_type_id": "mail.activity.type",
  "account.move.company_id": "res.company",
  "account.move.partner_id": "res.partner",
  "account.move.line.move_id": "account.move",
  "account.move.line.company_id": "res.company",
  "sale.order.partner_id": "res.partner",
  "sale.order.company_id": "res.company",
  "sale.order.line.order_id": "sale.order",
  "sale.order.line.product_id": "product.product",
  "stock.picking.partner_id": "res.partner",
  "product.product.product_tmpl_id": "product.template",
  "res.users.company_id": "res.company",
  "res.users.partner_id": "res.partner",
};

function relationOf(model: string, field: string): string | undefined {
  return RELATIONS[`${model}.${field}`];
}

function rowsOf(tables: Tables, model: string): Row[] {
  return tables.get(model) ?? [];
}

function displayName(tables: Tables, model: string, id: number): string {
  const row = rowsOf(tables, model).find((r) => r.id === id);
  const name = row?.display_name ?? row?.name;
  return typeof name === "string" ? name : `${model},${id}`;
}

function knownField(rows: Row[], model: string, field: string): boolean {
  if (field === "id" || field === "display_name" || relationOf(model, field) !== undefined) return true;
  return rows.some((row) => field in row);
}

/** The value a (possibly dotted) path reaches from a row; many2one steps follow RELATIONS. */
function valueAt(tables: Tables, model: string, row: Row, path: string): unknown {
  const [head, ...rest] = path.split(".");
  const value = row[head as string];
  if (rest.length === 0) return value === undefined ? false : value;
  const target = relationOf(model, head as string);
  if (target === undefined || typeof value !== "number") return false;
  const next = rowsOf(tables, target).find((r) => r.id === value);
  return next === undefined ? false : valueAt(tables, target, next, rest.join("."));
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

function likeMatch(value: unknown, pattern: unknown, insensitive: boolean): boolean {
  if (typeof value !== "string" || typeof pattern !== "string") return false;
  const v = insensitive ? value.toLowerCase() : value;
  const p = (insensitive ? pattern.toLowerCase() : pattern).replace(/%/g, "");
  return v.includes(p);
}

function leafMatches(tables: Tables, model: string, row: Row, leaf: readonly unknown[]): boolean {
  const [path, op, expected] = leaf as [string, string, unknown];
  const value = valueAt(tables, model, row, path);
  const blank = value === false || value === null || value === undefined;
  switch (op) {
    case "=":
      return expected === false ? blank : value === expected;
    case "!=":
      return expected === false ? !blank : value !== expected;
    case "<":
      return !blank && expected !== false && compare(value, expected) < 0;
    case "<=":
      return !blank && expected !== false && compare(value, expected) <= 0;
    case ">":
      return !blank && expected !== false && compare(value, expected) > 0;
    case ">=":
      return !blank && expected !== false && compare(value, expected) >= 0;
    case "in":
      return Array.isArray(expected) && expected.includes(value);
    case "not in":
      return Array.isArray(expected) && !expected.includes(value);
    case "like":
      return likeMatch(value, expected, false);
    case "ilike":
      return likeMatch(value, expected, true);
    case "not ilike":
      return !likeMatch(value, expected, true);
    default:
      throw new OdooFault("builtins.ValueError", `Invalid leaf ${JSON.stringify(leaf)}`);
  }
}

type Node = { op: "&" | "|"; a: Node; b: Node } | { op: "!"; a: Node } | { leaf: readonly unknown[] };

function parse(domain: readonly unknown[], model: string, rows: Row[]): Node | null {
  let pos = 0;
  const next = (): Node => {
    const item = domain[pos++];
    if (item === "&" || item === "|") return { op: item, a: next(), b: next() };
    if (item === "!") return { op: "!", a: next() };
    if (!Array.isArray(item) || item.length !== 3 || typeof item[0] !== "string") {
      throw new OdooFault("builtins.ValueError", `Invalid leaf ${JSON.stringify(item)}`);
    }
    const head = item[0].split(".")[0] as string;
    if (!knownField(rows, model, head) && rows.length > 0) {
      throw new OdooFault("builtins.ValueError", `Invalid field ${model}.${head} in leaf ${JSON.stringify(item)}`);
    }
    return { leaf: item };
  };
  if (domain.length === 0) return null;
  let node = next();
  // Odoo joins the top-level terms with an implicit "&".
  while (pos < domain.length) node = { op: "&", a: node, b: next() };
  return node;
}

function evaluate(tables: Tables, model: string, row: Row, node: Node): boolean {
  if ("leaf" in node) return leafMatches(tables, model, row, node.leaf);
  if (node.op === "!") return !evaluate(tables, model, row, node.a);
  const a = evaluate(tables, model, row, node.a);
  return node.op === "&" ? a && evaluate(tables, model, row, node.b) : a || evaluate(tables, model, row, node.b);
}

export function search(tables: Tables, model: string, domain: unknown): Row[] {
  const rows = rowsOf(tables, model);
  if (domain !== undefined && !Array.isArray(domain)) throw new OdooFault("builtins.ValueError", "Invalid domain");
  const tree = parse(domain ?? [], model, rows);
  return tree === null ? [...rows] : rows.filter((row) => evaluate(tables, model, row, tree));
}

/** A row as read() answers it: the asked fields, many2one as [id, name]. */
export function readRow(tables: Tables, model: string, row: Row, fields: unknown): Row {
  const names = Array.isArray(fields) && fields.length > 0 ? (fields as string[]) : Object.keys(row);
  const out: Row = { id: row.id };
  for (const name of names) {
    const value = row[name];
    const target = relationOf(model, name);
    if (target !== undefined && typeof value === "number") out[name] = [value, displayName(tables, target, value)];
    else out[name] = value === undefined || value === null ? false : value;
  }
  return out;
}

function aggregate(rows: Row[], field: string, fn: string): unknown {
  const values = rows.map((r) => r[field]).filter((v): v is number => typeof v === "number");
  if (fn === "count") return rows.length;
  if (fn === "count_distinct") return new Set(rows.map((r) => r[field])).size;
  if (values.length === 0) return fn === "sum" ? 0 : false;
  if (fn === "max") return Math.max(...values);
  if (fn === "min") return Math.min(...values);
  if (fn === "avg") return values.reduce((a, b) => a + b, 0) / values.length;
  return Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;
}

function groupRows(tables: Tables, model: string, rows: Row[], groupby: readonly string[]): Array<[Row, Row[]]> {
  const groups = new Map<string, [Row, Row[]]>();
  for (const row of rows) {
    const keyRow: Row = {};
    for (const g of groupby) {
      const value = row[g] ?? false;
      const target = relationOf(model, g);
      keyRow[g] =
        target !== undefined && typeof value === "number" ? [value, displayName(tables, target, value)] : value;
    }
    const key = JSON.stringify(keyRow);
    const entry = groups.get(key) ?? [keyRow, []];
    entry[1].push(row);
    groups.set(key, entry);
  }
  return [...groups.values()];
}

/** read_group (16-19): fields as "name", "name:agg" or "alias:agg(name)". */
export function readGroup(tables: Tables, model: string, p: Row): Row[] {
  const rows = search(tables, model, p.domain);
  const groupby = ((p.groupby as string[] | string | undefined) ?? []) as string[] | string;
  const by = typeof groupby === "string" ? [groupby] : groupby;
  const specs = ((p.fields as string[] | undefined) ?? []).map((spec) => {
    const m = /^(\w+)(?::(\w+)(?:\((\w+)\))?)?$/.exec(spec);
    if (!m) throw new OdooFault("builtins.ValueError", `Invalid field specification ${JSON.stringify(spec)}`);
    return { alias: m[1] as string, fn: m[2] ?? "sum", field: m[3] ?? (m[1] as string) };
  });
  const lazy = p.lazy !== false;
  return groupRows(tables, model, rows, by).map(([keyRow, members]) => {
    const out: Row = { ...keyRow, __domain: [] };
    if (lazy && by.length === 1) out[`${by[0]}_count`] = members.length;
    else out.__count = members.length;
    for (const s of specs) if (!by.includes(s.alias)) out[s.alias] = aggregate(members, s.field, s.fn);
    return out;
  });
}

/** formatted_read_group (19): aggregates as "__count" or "field:agg", keys named as asked. */
export function formattedReadGroup(tables: Tables, model: string, p: Row): Row[] {
  const rows = search(tables, model, p.domain);
  const by = (p.groupby as string[] | undefined) ?? [];
  const aggregates = (p.aggregates as string[] | undefined) ?? [];
  return groupRows(tables, model, rows, by).map(([keyRow, members]) => {
    const out: Row = { ...keyRow, __extra_domain: [] };
    for (const spec of aggregates) {
      if (spec === "__count") out.__count = members.length;
      else {
        const [field, fn] = spec.split(":") as [string, string | undefined];
        out[spec] = aggregate(members, field, fn ?? "sum");
      }
    }
    return out;
  });
}

export function createRows(tables: Tables, model: string, valsList: unknown): number[] {
  const list = Array.isArray(valsList) ? valsList : [valsList];
  const rows = tables.get(model) ?? [];
  tables.set(model, rows);
  const ids: number[] = [];
  for (const vals of list) {
    if (typeof vals !== "object" || vals === null) throw new OdooFault("builtins.ValueError", "Invalid values");
    const id = rows.reduce((max, r) => Math.max(max, Number(r.id)), 0) + 1;
    rows.push({ ...(vals as Row), id });
    ids.push(id);
  }
  return ids;
}

export function writeRows(tables: Tables, model: string, ids: readonly number[], vals: unknown): true {
  if (typeof vals !== "object" || vals === null) throw new OdooFault("builtins.ValueError", "Invalid values");
  for (const row of rowsOf(tables, model)) if (ids.includes(Number(row.id))) Object.assign(row, vals);
  return true;
}

export function unlinkRows(tables: Tables, model: string, ids: readonly number[]): true {
  tables.set(
    model,
    rowsOf(tables, model).filter((row) => !ids.includes(Number(row.id))),
  );
  return true;
}

/** A minimal fields_get: every field seen on a row, typed from its first value. */
export function fieldsGet(tables: Tables, model: string): Row {
  const out: Row = {};
  for (const row of rowsOf(tables, model)) {
    for (const [name, value] of Object.entries(row)) {
      if (name in out) continue;
      const relation = relationOf(model, name);
      const type = relation
        ? "many2one"
        : typeof value === "number"
          ? Number.isInteger(value)
            ? "integer"
            : "float"
          : typeof value === "boolean"
            ? "boolean"
            : "char";
      out[name] = { type, string: name, ...(relation ? { relation } : {}) };
    }
  }
  return out;
}
