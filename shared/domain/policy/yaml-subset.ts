// A fast reader for the plain YAML Shiftgate's own writers produce (block maps and sequences, one-line flow maps and
// sequences, plain and quoted scalars). `gitops verify` reads every change, approval and gate file in a history, and
// the full YAML library costs milliseconds per small file in a fresh process. This reader gives up (returns
// undefined) on anything outside that subset or in doubt, and the caller then uses the full library: for every text
// it accepts, its value is exactly what the library's `parseDocument(text, { uniqueKeys: true }).toJS()` gives for a
// text the library reads without errors (YAML 1.2 core schema), which test/unit/shared/domain/policy/yaml-subset.test.ts
// checks against the library over real and mutated files.

class OutsideSubset extends Error {}

const give = (): never => {
  throw new OutsideSubset();
};

// Keys the reader takes: plain words (no key the core schema would read as null, a boolean or a number).
const KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,200}$/;
const SPECIAL_KEY = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|__proto__)$/;
// Characters the reader never interprets: controls (tab and CR among them), the C1 range, BOM and surrogates.
function hasUnsafeCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f) || c === 0xfeff || (c >= 0xd800 && c <= 0xdfff))
      return true;
  }
  return false;
}
// A plain scalar may not start with one of YAML's indicators.
const INDICATOR = /^[?:,[\]{}#&*!|>'"%@`]$/;

/** The index of the first character at or after `from` that is not a space (YAML indents with spaces only). */
function leadingSpaces(line: string, from = 0): number {
  let i = from;
  while (line[i] === " ") i++;
  return i;
}

/** The core schema's resolution of a plain scalar, in the library's order (yaml/dist/schema/core). */
function resolvePlain(s: string): unknown {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s)) return s[0] === "t" || s[0] === "T";
  if (/^0o[0-7]+$/.test(s)) return Number.parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return Number.parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return Number.parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s))
    return s.slice(-3).toLowerCase() === "nan" ? Number.NaN : s[0] === "-" ? -Infinity : Infinity;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return Number.parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return Number.parseFloat(s);
  return s;
}

/** One line's inline value (after `key: ` or `- `), scanned from `pos`; `flow` inside `[...]` or `{...}`. */
class Inline {
  pos: number;
  constructor(
    readonly s: string,
    start: number,
  ) {
    this.pos = start;
  }

  spaces(): void {
    while (this.s[this.pos] === " ") this.pos++;
  }

  value(flow: boolean): unknown {
    this.spaces();
    const c = this.s[this.pos];
    if (c === "[") return this.seq();
    if (c === "{") return this.map();
    if (c === '"') return this.doubleQuoted();
    if (c === "'") return this.singleQuoted();
    return resolvePlain(this.plain(flow));
  }

  plain(flow: boolean): string {
    const start = this.pos;
    const first = this.s[start];
    const second = this.s[start + 1];
    if (first === undefined || INDICATOR.test(first)) give();
    // `-` starts a plain scalar only before a character that can continue one (`-5`, `-foo`).
    if (first === "-" && (second === undefined || second === " " || (flow && ",[]{}".includes(second)))) give();
    let i = start;
    for (; i < this.s.length; i++) {
      const ch = this.s[i];
      const next = this.s[i + 1];
      if (ch === "#" && this.s[i - 1] === " ") give();
      if (
        ch === ":" &&
        (next === undefined || next === " " || (flow && (next === "," || next === "]" || next === "}")))
      )
        break;
      if (flow && (ch === "," || ch === "]" || ch === "}")) break;
      if (flow && (ch === "[" || ch === "{")) give();
    }
    this.pos = i;
    // Only spaces end a plain scalar's text (YAML does not trim other whitespace such as U+00A0).
    let end = i;
    while (end > start && this.s[end - 1] === " ") end--;
    if (end === start) give();
    return this.s.slice(start, end);
  }

  doubleQuoted(): string {
    const end = this.s.indexOf('"', this.pos + 1);
    if (end < 0) give();
    const text = this.s.slice(this.pos + 1, end);
    if (text.includes("\\")) give();
    this.pos = end + 1;
    return text;
  }

  singleQuoted(): string {
    let out = "";
    let i = this.pos + 1;
    for (;;) {
      const end = this.s.indexOf("'", i);
      if (end < 0) give();
      out += this.s.slice(i, end);
      if (this.s[end + 1] === "'") {
        out += "'";
        i = end + 2;
        continue;
      }
      this.pos = end + 1;
      return out;
    }
  }

  seq(): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.spaces();
    if (this.s[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(true));
      this.spaces();
      const c = this.s[this.pos++];
      if (c === "]") return out;
      if (c !== ",") give();
      this.spaces();
      if (this.s[this.pos] === "]") give(); // a trailing comma: left to the library
    }
  }

  map(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.spaces();
    if (this.s[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.spaces();
      const key = this.plain(true);
      if (!KEY.test(key) || SPECIAL_KEY.test(key) || Object.hasOwn(out, key)) give();
      if (this.s[this.pos] !== ":" || this.s[this.pos + 1] !== " ") give();
      this.pos += 2;
      out[key] = this.value(true);
      this.spaces();
      const c = this.s[this.pos++];
      if (c === "}") return out;
      if (c !== ",") give();
      this.spaces();
      if (this.s[this.pos] === "}") give();
    }
  }

  /** The whole rest of the line as one value (block context): only trailing spaces may follow it. */
  whole(): unknown {
    const value = this.value(false);
    this.spaces();
    if (this.pos !== this.s.length) give();
    return value;
  }
}

/** Block structure over the document's lines (blank and comment-only lines dropped). */
class Block {
  private i = 0;
  constructor(private readonly lines: string[]) {}

  private indent(line: string): number {
    return leadingSpaces(line);
  }

  /** The next line's indentation, or -1 at the end. */
  private peek(): number {
    const line = this.lines[this.i];
    return line === undefined ? -1 : this.indent(line);
  }

  private isItem(line: string, at: number): boolean {
    return line[at] === "-" && (line[at + 1] === " " || line[at + 1] === undefined);
  }

  document(): Record<string, unknown> {
    if (this.lines.length === 0 || this.peek() !== 0) give();
    const value = this.node(0, 0);
    if (this.i !== this.lines.length || Array.isArray(value)) give();
    return value as Record<string, unknown>;
  }

  /** A block map or sequence at exactly `indent`. */
  private node(indent: number, depth: number): unknown {
    if (depth > 32) give();
    const line = this.lines[this.i] ?? "";
    return this.isItem(line, indent) ? this.seq(indent, depth) : this.map(indent, depth);
  }

  private map(indent: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (this.i < this.lines.length && this.peek() === indent) {
      const line = this.lines[this.i] as string;
      if (this.isItem(line, indent)) give();
      const colon = line.indexOf(":", indent);
      if (colon < 0) give();
      const key = line.slice(indent, colon);
      if (!KEY.test(key) || SPECIAL_KEY.test(key) || Object.hasOwn(out, key)) give();
      const after = line[colon + 1];
      if (after !== undefined && after !== " ") give();
      this.i++;
      if (leadingSpaces(line, colon + 1) === line.length) {
        const next = this.peek();
        if (next > indent) out[key] = this.node(next, depth + 1);
        else if (next === indent && this.isItem(this.lines[this.i] as string, indent)) give();
        else out[key] = null;
      } else {
        out[key] = new Inline(line, colon + 2).whole();
        if (this.peek() > indent) give();
      }
    }
    if (this.peek() > indent) give();
    return out;
  }

  private seq(indent: number, depth: number): unknown[] {
    const out: unknown[] = [];
    while (this.i < this.lines.length && this.peek() === indent) {
      const line = this.lines[this.i] as string;
      if (!this.isItem(line, indent)) give();
      let at = indent + 1;
      while (line[at] === " ") at++;
      if (at >= line.length || this.isItem(line, at)) give();
      const rest = line.slice(at);
      const keyed = /^[^\s:'"[{][^:]*:(?: |$)/.test(rest);
      if (keyed) {
        // `- key: value` opens a map at the key's column: read the line as if the dash were a space.
        this.lines[this.i] = " ".repeat(at) + rest;
        out.push(this.map(at, depth + 1));
      } else {
        this.i++;
        out.push(new Inline(line, at).whole());
        if (this.peek() > indent) give();
      }
    }
    if (this.peek() > indent) give();
    return out;
  }
}

/**
 * Reads `text` when it is in the subset Shiftgate writes: `{ value }` with the value the YAML library would give,
 * or undefined when the text is outside the subset (or not a map at the top), for the library to read.
 */
export function readYamlSubset(text: string): { readonly value: Record<string, unknown> } | undefined {
  if (hasUnsafeCharacter(text)) return undefined;
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    const body = line.slice(leadingSpaces(line));
    if (body === "" || body.startsWith("#")) continue;
    // Directives, document markers, and anything the line-based reader cannot see whole.
    if (line.startsWith("---") || line.startsWith("...") || line.startsWith("%")) return undefined;
    lines.push(line);
  }
  try {
    return { value: new Block(lines).document() };
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}
