// One change number everywhere. The CHG number is taken when a change is committed to the GitOps repository; before
// that a change is shown by a provisional number that cannot be mistaken for one: "DRAFT-" and six characters
// hashed from its id. (The tail of a ULID is no good: ids made in the same millisecond differ only in their last
// character, R4ED0M and R4ED0P, and it reads like a number that will stay.)

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The provisional number of a change that has no CHG number yet: "DRAFT-7KQ2XM". */
export function provisionalNumber(id: string): string {
  // FNV-1a, 32 bits: spreads ids that differ in one character over the whole code.
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let code = "";
  for (let i = 0; i < 6; i++) {
    code += CROCKFORD[h & 31];
    h >>>= 5;
  }
  return `DRAFT-${code}`;
}

/** The number people see and search by: the CHG number once assigned, else the provisional one. */
export function displayNumber(change: { readonly id: string; readonly number: string | null }): string {
  return change.number ?? provisionalNumber(change.id);
}

/** What a search for a change number asks for: a CHG number (or its start), or a provisional number. */
export type NumberQuery =
  | { readonly kind: "chg"; readonly exact: string | null; readonly prefix: string }
  | { readonly kind: "draft"; readonly number: string };

/**
 * Reads a search as a change number when it is one: "CHG-2026-0007", "chg 2026 7", "CHG-2026-00" (a start), or
 * "DRAFT-7KQ2XM" (any case, with or without the dash). Anything else is a text search (null).
 */
export function parseNumberQuery(q: string): NumberQuery | null {
  const text = q.trim().toUpperCase();
  const chg = /^CHG(?:[-\s]*(\d{4})(?:[-\s]+(\d{1,6})|-)?)?$/.exec(text);
  if (chg) {
    const [, year, n] = chg;
    if (!year) return { kind: "chg", exact: null, prefix: "CHG-" };
    if (n === undefined) return { kind: "chg", exact: null, prefix: `CHG-${year}-` };
    // "7" is CHG-2026-0007; typed digits are also the start of longer numbers (search as you type: "00" → 00xx).
    return { kind: "chg", exact: `CHG-${year}-${n.padStart(4, "0")}`, prefix: `CHG-${year}-${n}` };
  }
  const draft = /^DRAFT[-\s]?([0-9A-Z]{6})$/.exec(text);
  if (draft?.[1]) return { kind: "draft", number: `DRAFT-${draft[1]}` };
  return null;
}
