/** A small seeded PRNG (mulberry32), so a failing run can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random choices drawn from one seeded stream. */
export interface Chooser {
  readonly next: () => number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

/** A chooser over a seeded stream. */
export function chooser(seed: number): Chooser {
  const next = rng(seed);
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]) => xs[int(xs.length)] as T, chance: (p) => next() < p };
}

// Strings no text field of the contract may hold, and strings that look like other things.
const HOSTILE_STRINGS: readonly string[] = [
  "\u0000",
  "Berlin\u0000Assembly",
  "plant\u202enltrab",
  "\u2066approved\u2069",
  "lone \ud800 surrogate",
  "\udfff",
  "   ",
  "\t\n\r",
  "\u0085next line",
  "'; DROP TABLE audit; --",
  'NEAR(a b) OR * "',
  "../../etc/passwd",
  "/etc/passwd",
  "C:\\Windows\\win.ini",
  "$" + "{jndi:ldap://x}",
  "__proto__",
  "constructor",
  "9999-12-31T23:59:59Z",
  "0001-01-01T00:00:00Z",
  "1999-01-01T00:00:00Z",
  "2101-01-01T00:00:00+14:00",
  "2026-02-30T25:61:61Z",
  "P99999999DT99999999H",
  "99999999999d",
  "0m",
  "01J00000000000000000000000",
  "sha256:",
  "😀".repeat(100),
];

// Numbers that break arithmetic, comparisons or integer columns.
const HOSTILE_NUMBERS: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  1e308,
  -1e308,
  2 ** 53 + 1,
  -1,
  0.5,
  Number.MIN_VALUE,
  8.64e15 + 1,
];

/** A value of the wrong type, size or content for almost any field. */
export function hostileValue(c: Chooser, depth = 0): unknown {
  switch (c.int(14)) {
    case 0:
      return c.pick(HOSTILE_STRINGS);
    case 1:
      return c.pick(HOSTILE_NUMBERS);
    case 2:
      return c.pick(["x", "\u0000", "\ud800", "a\u202e"]).repeat(1 + c.int(300_000));
    case 3:
      return c.pick([null, undefined, true, false, "", 0]);
    case 4:
      return deepNesting(c.int(2) === 0 ? "array" : "object", 1 + c.int(5_000));
    case 5:
      return JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    case 6:
      return depth > 3 ? [] : Array.from({ length: 1 + c.int(3) }, () => hostileValue(c, depth + 1));
    case 7:
      return depth > 3 ? {} : { [c.pick(["id", "plant", "start", "x", "__proto__"])]: hostileValue(c, depth + 1) };
    case 8:
      return Array.from({ length: c.pick([101, 5_001, 100_001]) }, () => "berlin");
    case 9:
      return new Date(c.pick([Number.NaN, 8.64e15, -8.64e15, 0]));
    case 10:
      return c.pick(["2000-01-01T00:00:00Z", "2100-12-31T23:59:59Z", "2026-12-05T22:00:00+01:00"]);
    case 11:
      return { toString: "not a function", valueOf: 42 };
    case 12:
      return "a".repeat(c.pick([64, 65, 100, 101, 200, 201, 2_000, 2_001, 20_001]));
    default:
      return c.int(2) === 0 ? {} : [];
  }
}

/** An array or object nested `depth` levels deep (built iteratively: no recursion to overflow here). */
export function deepNesting(kind: "array" | "object", depth: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = kind === "array" ? [value] : { a: value };
  return value;
}

type Path = readonly (string | number)[];

/** Every path to a value inside a JSON-like sample (objects and arrays) up to 6 levels, the root excluded. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object" || prefix.length >= 6) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v] as [number, unknown])
    : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

/** Replaces (or, with `undefined`, deletes) the value at a path of a cloned object. */
export function setAt(root: unknown, path: Path, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last === undefined) return;
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = value;
}

/** A damaged copy of a sample: some of its values replaced by hostile ones or removed. */
export function damaged(c: Chooser, sample: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(sample);
  for (let n = 1 + c.int(3); n > 0; n--) {
    const paths = pathsOf(copy);
    if (paths.length === 0) break;
    setAt(copy, c.pick(paths), c.chance(0.2) ? undefined : hostileValue(c));
  }
  return copy;
}

// Texts a person could paste that no text field may store: controls, bidi overrides, lone surrogates, blanks.
const BAD_TEXTS: readonly string[] = [
  "Berlin\u0000Assembly",
  "Approved\u202e",
  "\u2067Berlin\u2069",
  "half \ud83d char",
  "   ",
  "tab\u000bvertical",
  "bell\u0007",
  "x".repeat(301),
];

/** A copy of a sample with one of its texts replaced by one no text field may hold; the rest stays valid. */
export function withBadText(c: Chooser, sample: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(sample);
  const texts = pathsOf(copy).filter((p) => typeof p.reduce<unknown>((n, k) => (n as never)[k], copy) === "string");
  if (texts.length > 0) setAt(copy, c.pick(texts), c.pick(BAD_TEXTS));
  return copy;
}

/** An input no strict schema of the contract accepts, whatever else it holds: it carries a key none declares. */
export function withUnknownKey(c: Chooser, input: Record<string, unknown>): Record<string, unknown> {
  const key = c.pick(["unexpected", "admin", "isAdmin", "role", "__fuzz"]);
  return { ...input, [key]: hostileValue(c) ?? 1 };
}

/** A whole input of the wrong kind: not an object, or an object carrying prototype keys. */
export function wrongRoot(c: Chooser): unknown {
  return c.pick<unknown>([
    42,
    "text",
    [],
    [{}],
    true,
    Number.NaN,
    deepNesting("array", 10_000),
    JSON.parse('{"__proto__": {"polluted": true}}'),
    { constructor: { prototype: { polluted: true } } },
  ]);
}
