import type { z } from "zod";
import {
  type Area,
  type ChangeDetail,
  type ChangeType,
  DEFAULT_VALIDATION,
  type GateName,
  type MethodInput,
  methods,
  type Stage,
} from "../../../shared/contract/index";

/** The change form as the person types it: every control holds a string, a flag or a list. */
export interface ChangeFormState {
  readonly title: string;
  readonly description: string;
  readonly type: ChangeType;
  readonly area: Area;
  /** Plant ids separated by commas or spaces. */
  readonly plants: string;
  readonly environment: Stage;
  readonly requesterName: string;
  readonly requesterEmail: string;
  readonly implementerName: string;
  readonly implementerEmail: string;
  /** Local date-times as a datetime-local input gives them (yyyy-mm-ddThh:mm). */
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly dbMigration: boolean;
  readonly rollbackPlan: string;
  readonly snapshotRef: string;
  readonly checkpointRef: string;
  readonly incident: string;
  readonly ticket: string;
  readonly pullRequest: string;
  readonly validation: readonly GateName[];
  /** The catalogue template of a standard change ("" for none). */
  readonly template: string;
}

export type FieldName = keyof ChangeFormState;
export type FieldErrors = Partial<Record<FieldName, string>>;

/** The form of a new change. */
export const EMPTY_FORM: ChangeFormState = {
  title: "",
  description: "",
  type: "normal",
  area: "mrp",
  plants: "",
  environment: "production",
  requesterName: "",
  requesterEmail: "",
  implementerName: "",
  implementerEmail: "",
  windowStart: "",
  windowEnd: "",
  dbMigration: false,
  rollbackPlan: "",
  snapshotRef: "",
  checkpointRef: "",
  incident: "",
  ticket: "",
  pullRequest: "",
  validation: DEFAULT_VALIDATION,
  template: "",
};

const pad = (n: number) => String(Math.abs(n)).padStart(2, "0");

/** A local datetime-local value as RFC 3339 with this machine's offset at that moment. */
export function localToRfc3339(local: string): string {
  const date = new Date(local);
  if (Number.isNaN(date.getTime())) return local;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const seconds = local.length === 16 ? `${local}:00` : local;
  return `${seconds}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** An RFC 3339 instant as a datetime-local value in this machine's zone. */
export function rfc3339ToLocal(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The form of an existing change, for editing. */
export function formFromChange(c: ChangeDetail): ChangeFormState {
  return {
    title: c.title,
    description: c.description,
    type: c.type,
    area: c.area,
    plants: c.plants.join(", "),
    environment: c.environment,
    requesterName: c.requester.name,
    requesterEmail: c.requester.email,
    implementerName: c.implementer?.name ?? "",
    implementerEmail: c.implementer?.email ?? "",
    windowStart: c.window ? rfc3339ToLocal(c.window.start) : "",
    windowEnd: c.window ? rfc3339ToLocal(c.window.end) : "",
    dbMigration: c.dbMigration,
    rollbackPlan: c.rollbackPlan,
    snapshotRef: c.snapshotRef ?? "",
    checkpointRef: c.checkpointRef ?? "",
    incident: c.links.incident ?? "",
    ticket: c.links.ticket ?? "",
    pullRequest: c.links.pullRequest ?? "",
    validation: c.validation,
    template: c.template ?? "",
  };
}

const orNull = (s: string): string | null => (s.trim() === "" ? null : s.trim());

/** The change.create input the form describes. */
export function formToInput(f: ChangeFormState): MethodInput<"change.create"> {
  const implementer =
    f.implementerName.trim() === "" && f.implementerEmail.trim() === ""
      ? null
      : { name: f.implementerName.trim(), email: f.implementerEmail.trim() };
  const window =
    f.windowStart === "" && f.windowEnd === ""
      ? null
      : { start: localToRfc3339(f.windowStart), end: localToRfc3339(f.windowEnd) };
  return {
    title: f.title,
    description: f.description,
    type: f.type,
    area: f.area,
    plants: f.plants
      .split(/[\s,]+/)
      .map((p) => p.trim().toLowerCase())
      .filter((p) => p !== ""),
    environment: f.environment,
    requester: { name: f.requesterName.trim(), email: f.requesterEmail.trim() },
    implementer,
    window,
    dbMigration: f.dbMigration,
    rollbackPlan: f.rollbackPlan,
    snapshotRef: orNull(f.snapshotRef),
    checkpointRef: orNull(f.checkpointRef),
    links: { incident: orNull(f.incident), ticket: orNull(f.ticket), pullRequest: orNull(f.pullRequest) },
    validation: [...f.validation],
    // Only a standard change names a template; switching type away drops it.
    template: f.type === "standard" ? orNull(f.template) : null,
  };
}

// Where a contract path lands in the form: nested objects spread over several controls.
const PATH_FIELDS: Readonly<Record<string, FieldName>> = {
  requester: "requesterName",
  "requester.name": "requesterName",
  "requester.email": "requesterEmail",
  implementer: "implementerName",
  "implementer.name": "implementerName",
  "implementer.email": "implementerEmail",
  window: "windowEnd",
  "window.start": "windowStart",
  "window.end": "windowEnd",
  links: "incident",
  "links.incident": "incident",
  "links.ticket": "ticket",
  "links.pullRequest": "pullRequest",
};

const FIELD_NAMES = new Set<string>(Object.keys(EMPTY_FORM));

/** The form control a contract path (e.g. "requester.email", "plants.0") points at, if any. */
export function fieldOfPath(path: string): FieldName | null {
  const direct = PATH_FIELDS[path];
  if (direct) return direct;
  const parts = path.split(".");
  const two = PATH_FIELDS[parts.slice(0, 2).join(".")];
  if (two) return two;
  const first = parts[0] ?? "";
  return FIELD_NAMES.has(first) ? (first as FieldName) : null;
}

/** The zod issue turned into words a requester acts on. */
function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string") return "Required.";
      if (issue.origin === "array") return "Name at least one.";
      return issue.message;
    case "too_big":
      return issue.origin === "string" ? `At most ${issue.maximum} characters.` : `At most ${issue.maximum}.`;
    case "invalid_format":
      if (issue.format === "email") return "Enter an e-mail address, like name@example.com.";
      if (issue.format === "datetime") return "Enter a date and time.";
      if (issue.format === "regex" && /plant/.test(issue.message)) {
        return "Plant ids are lower-case letters, digits and dashes, like berlin or pune-2.";
      }
      return issue.message;
    default: {
      const text = issue.message;
      return text.charAt(0).toUpperCase() + text.slice(1) + (text.endsWith(".") ? "" : ".");
    }
  }
}

/**
 * Every problem with the form, by field: the checks the contract's own schema makes (so the form never
 * disagrees with the core), plus those that only make sense per control (half a window, half a person).
 */
export function validateForm(f: ChangeFormState): FieldErrors {
  const errors: FieldErrors = {};
  const put = (field: FieldName, message: string) => {
    if (!errors[field]) errors[field] = message;
  };
  if ((f.windowStart === "") !== (f.windowEnd === "")) {
    put(f.windowStart === "" ? "windowStart" : "windowEnd", "Give both start and end of the window, or neither.");
  }
  if ((f.implementerName.trim() === "") !== (f.implementerEmail.trim() === "")) {
    put(
      f.implementerName.trim() === "" ? "implementerName" : "implementerEmail",
      "Give the implementer's name and e-mail, or neither.",
    );
  }
  if (f.type === "standard" && f.template === "") put("template", "Choose the template this standard change follows.");
  const parsed = methods["change.create"].input.safeParse(formToInput(f));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOfPath(issue.path.map(String).join("."));
      if (!field) continue;
      put(field, issueMessage(issue));
    }
  }
  return errors;
}

/** Field errors carried by an invalid-input AppError from the core (details.issues), if any. */
export function errorsFromDetails(details: Readonly<Record<string, unknown>> | undefined): FieldErrors {
  const errors: FieldErrors = {};
  const issues = details?.issues;
  if (!Array.isArray(issues)) return errors;
  for (const issue of issues) {
    if (typeof issue !== "object" || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof path !== "string" || typeof message !== "string") continue;
    const field = fieldOfPath(path.replace(/^patch\./, ""));
    if (field && !errors[field]) errors[field] = message;
  }
  return errors;
}
