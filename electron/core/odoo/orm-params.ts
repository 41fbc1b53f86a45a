import { AppError } from "../../../shared/contract/errors";

// JSON-2 takes every parameter by name (the body is `{ids?, context?, ...params}`), while execute_kw takes them by
// position. These are the positional parameter names of the ORM methods Shiftgate calls (odoo/models.py signatures),
// so one `call(model, method, args, kwargs)` means the same thing on both APIs.
const ORM_PARAMS: Readonly<Record<string, readonly string[]>> = {
  search: ["domain", "offset", "limit", "order"],
  search_read: ["domain", "fields", "offset", "limit", "order"],
  search_count: ["domain", "limit"],
  read_group: ["domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"],
  formatted_read_group: ["domain", "groupby", "aggregates", "having", "offset", "limit", "order"],
  fields_get: ["allfields", "attributes"],
  create: ["vals_list"],
  context_get: [],
};

/** Record methods whose first positional argument is the ids, then these named parameters. */
const RECORD_PARAMS: Readonly<Record<string, readonly string[]>> = {
  read: ["fields"],
  write: ["vals"],
  unlink: [],
};

function isIdList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((id) => Number.isInteger(id));
}

/** The JSON-2 body for an execute_kw-style call. */
export function odooParams(
  method: string,
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const model = ORM_PARAMS[method];
  let names: readonly string[];
  let rest: readonly unknown[];
  if (model !== undefined) {
    names = model;
    rest = args;
  } else {
    const first = args[0];
    if (args.length > 0) {
      if (!isIdList(first)) {
        throw new AppError("invalid-input", `The first argument of ${method} must be the list of record ids.`);
      }
      body.ids = first;
    }
    names = RECORD_PARAMS[method] ?? [];
    rest = args.slice(1);
  }
  if (rest.length > names.length) {
    throw new AppError(
      "invalid-input",
      `${method} takes at most ${names.length} positional argument(s)${model === undefined ? " after the ids" : ""}; pass the others by name.`,
    );
  }
  rest.forEach((value, index) => {
    body[names[index] as string] = value;
  });
  return { ...body, ...kwargs };
}
