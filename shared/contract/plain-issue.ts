import type { z } from "zod";

/** One validation problem in words a plant manager can act on: the field named, and what to do about it. */
interface PlainIssue {
  /** The input path, dot-separated ("environments.0.context"), for forms to put the message beside the field. */
  readonly path: string;
  /** The message to show beside the field (the field's own label is already there). */
  readonly message: string;
  /** The whole sentence, naming the field, for where there is no field to show it beside. */
  readonly sentence: string;
}

// camelCase and dashes as words: "rollbackPlan" → "rollback plan".
function words(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replaceAll("-", " ")
    .toLowerCase();
}

/** A path as the field's name: "environments.0.context" → "context of environment 1". */
function fieldName(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const next = path[i + 1];
    if (typeof key === "number") continue;
    const name = words(String(key));
    // A list entry is named by its position, counted from 1: "environment 1" for environments[0].
    if (typeof next === "number") parts.push(`${name.replace(/s$/, "")} ${next + 1}`);
    else parts.push(name);
  }
  return parts.length === 0 ? "the input" : parts.reverse().join(" of ");
}

// The problem as what follows "<field> is …" (true), or as a phrase that stands after "<field>: " (false).
function phrase(issue: z.core.$ZodIssue): readonly [string, boolean] {
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string") {
        return Number(issue.minimum) <= 1
          ? ["empty: fill it in", true]
          : [`too short: write at least ${issue.minimum} characters`, true];
      }
      if (issue.origin === "array" || issue.origin === "set") return [`empty: add at least ${issue.minimum}`, true];
      return [`too small: the least allowed is ${issue.minimum}`, true];
    case "too_big":
      if (issue.origin === "string") return [`too long: keep it to ${issue.maximum} characters`, true];
      if (issue.origin === "array" || issue.origin === "set")
        return [`too long a list: at most ${issue.maximum}`, true];
      return [`too large: the most allowed is ${issue.maximum}`, true];
    case "invalid_type":
      return issue.input === undefined ? ["missing: fill it in", true] : ["not the kind of value expected here", true];
    case "invalid_format":
      if (issue.format === "email") return ["not an e-mail address: write one like name@example.com", true];
      if (issue.format === "datetime") return ["not a date and time: pick one", true];
      return [issue.message, false];
    case "invalid_value":
      return [`not one of the choices: pick ${issue.values.map(String).join(", ")}`, true];
    case "unrecognized_keys":
      return [`not something this form takes (${issue.keys.join(", ")}): leave it out`, true];
    default:
      return [issue.message, false];
  }
}

function sentenceCase(text: string): string {
  const t = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

// zod's own wording ("Too big: expected string to have <=4000000 characters", "Invalid input: …"): replaced by a
// phrase. A message the contract wrote itself ("the file is larger than 3 MB; attach a smaller file…") already says
// what to do in the field's terms, so it is kept.
const ZOD_DEFAULT = /^(Too (big|small)|Invalid|Unrecognized key)/;

/** The contract's validation problem in plain words, never "Too small: expected string to have >=1 characters". */
export function plainIssue(issue: z.core.$ZodIssue): PlainIssue {
  const [text, isPhrase] = ZOD_DEFAULT.test(issue.message) ? phrase(issue) : ([issue.message, false] as const);
  const name = fieldName(issue.path);
  return {
    path: issue.path.map(String).join("."),
    message: sentenceCase(text),
    sentence: sentenceCase(isPhrase ? `${name} is ${text}` : `${name}: ${text}`),
  };
}
