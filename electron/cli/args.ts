/** A flag's shape: a string, a boolean switch, or a string that may be given several times or with several values. */
interface FlagSpec {
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
}

type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type ParsedFlags<S extends FlagSpecs> = {
  readonly [K in keyof S]?: S[K]["type"] extends "boolean"
    ? boolean
    : S[K]["multiple"] extends true
      ? string[]
      : string;
};

/** Bad usage: the CLI prints its one-line message on standard error and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Parses `--flag value`, `--flag=value` and, for multiple flags, `--ics a b` as well as `--ics a --ics b`.
 * Unknown flags and stray arguments are usage errors.
 */
export function parseFlags<S extends FlagSpecs>(argv: readonly string[], specs: S): ParsedFlags<S> {
  const out: Record<string, string | boolean | string[]> = {};
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown flag --${name}`);
    i++;
    if (spec.type === "boolean") {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      out[name] = true;
      continue;
    }
    const values: string[] = [];
    if (eq >= 0) values.push(arg.slice(eq + 1));
    else {
      while (i < argv.length && !(argv[i] ?? "").startsWith("--")) {
        values.push(argv[i] ?? "");
        i++;
        if (!spec.multiple) break;
      }
    }
    if (values.length === 0 || values.some((v) => v === "")) throw new UsageError(`--${name} needs a value`);
    if (spec.multiple) out[name] = [...((out[name] as string[] | undefined) ?? []), ...values];
    else if (name in out) throw new UsageError(`--${name} given twice`);
    else out[name] = values[0] ?? "";
  }
  return out as ParsedFlags<S>;
}

/** Returns a required flag's value or throws a usage error naming it. */
export function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw new UsageError(`--${flag} is required`);
  return value;
}
