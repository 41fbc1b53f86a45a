import { AppError } from "../../errors/app-error";

/** One unfolded content line (`NAME;PARAM=V:value`) and the physical line it starts on. */
export interface ContentLine {
  readonly name: string;
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly value: string;
  readonly line: number;
}

/** A BEGIN/END block with its properties and nested blocks. */
export interface IcsBlock {
  readonly name: string;
  readonly line: number;
  readonly props: readonly ContentLine[];
  readonly children: readonly IcsBlock[];
}

/** The error every broken calendar raises: file, line and what is wrong. */
export function calendarError(file: string, line: number | null, reason: string): AppError {
  const where = line === null ? file : `${file}, line ${line}`;
  return new AppError("calendar-invalid", `${where}: ${reason}`, { file, line });
}

const NAME = /^[A-Za-z0-9-]+$/;

/**
 * Splits iCalendar text into its one VCALENDAR block, keeping line numbers for error messages (ical.js's parser
 * reports none). Accepts CRLF, LF and folded lines; refuses anything structurally broken.
 */
export function readBlocks(text: string, file: string): IcsBlock {
  const physical = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const logical: { text: string; line: number }[] = [];
  physical.forEach((raw, i) => {
    if ((raw.startsWith(" ") || raw.startsWith("\t")) && logical.length > 0) {
      const last = logical[logical.length - 1];
      if (last) last.text += raw.slice(1);
      return;
    }
    if (raw.trim() === "") return;
    logical.push({ text: raw, line: i + 1 });
  });
  type Open = { name: string; line: number; props: ContentLine[]; children: IcsBlock[] };
  const stack: Open[] = [];
  let root: IcsBlock | null = null;
  for (const { text: t, line } of logical) {
    const cl = parseContentLine(t, line, file);
    if (cl.name === "BEGIN") {
      if (root) throw calendarError(file, line, "content after END:VCALENDAR (one file holds one calendar)");
      const name = cl.value.trim().toUpperCase();
      if (stack.length === 0 && name !== "VCALENDAR") throw calendarError(file, line, "expected BEGIN:VCALENDAR");
      stack.push({ name, line, props: [], children: [] });
      continue;
    }
    const top = stack[stack.length - 1];
    if (!top) throw calendarError(file, line, root ? "content after END:VCALENDAR" : "expected BEGIN:VCALENDAR");
    if (cl.name === "END") {
      const name = cl.value.trim().toUpperCase();
      if (name !== top.name)
        throw calendarError(file, line, `END:${name} does not close BEGIN:${top.name} (line ${top.line})`);
      stack.pop();
      const done: IcsBlock = { name: top.name, line: top.line, props: top.props, children: top.children };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(done);
      else root = done;
      continue;
    }
    top.props.push(cl);
  }
  const open = stack[stack.length - 1];
  if (open) throw calendarError(file, open.line, `BEGIN:${open.name} is never closed`);
  if (!root) throw calendarError(file, null, "no BEGIN:VCALENDAR found (is this an iCalendar file?)");
  return root;
}

function parseContentLine(text: string, line: number, file: string): ContentLine {
  let i = 0;
  while (i < text.length && text[i] !== ";" && text[i] !== ":") i++;
  const name = text.slice(0, i);
  if (!NAME.test(name)) throw calendarError(file, line, `not an iCalendar content line: ${JSON.stringify(clip(text))}`);
  const params: Record<string, string[]> = {};
  while (text[i] === ";") {
    i++;
    const eq = text.indexOf("=", i);
    if (eq < 0) throw calendarError(file, line, `parameter without a value in ${name}`);
    const pname = text.slice(i, eq).toUpperCase();
    if (!NAME.test(pname)) throw calendarError(file, line, `bad parameter name in ${name}`);
    i = eq + 1;
    const values: string[] = [];
    for (;;) {
      if (text[i] === '"') {
        const close = text.indexOf('"', i + 1);
        if (close < 0) throw calendarError(file, line, `unclosed quote in parameter ${pname}`);
        values.push(text.slice(i + 1, close));
        i = close + 1;
      } else {
        let j = i;
        while (j < text.length && text[j] !== "," && text[j] !== ";" && text[j] !== ":") j++;
        values.push(text.slice(i, j));
        i = j;
      }
      if (text[i] !== ",") break;
      i++;
    }
    params[pname] = values;
  }
  if (text[i] !== ":") throw calendarError(file, line, `missing ':' after ${name}`);
  return { name: name.toUpperCase(), params, value: text.slice(i + 1), line };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Unescapes a TEXT value (RFC 5545 §3.3.11). */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

/** Splits a TEXT list on unescaped commas. */
export function splitTextList(value: string): string[] {
  return value.split(/(?<!\\),/).map((v) => unescapeText(v).trim());
}
