import type { AuditEvent } from "../../../shared/contract/index";
import { humanise } from "./format";

/** A field of an audit row's before/after, when it is a plain value. */
function field(side: unknown, key: string): string | null {
  if (typeof side !== "object" || side === null || !(key in side)) return null;
  const value: unknown = (side as Record<string, unknown>)[key];
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : null;
}

// Which keys of a change differ between before and after, for a one-line summary of an edit.
function changedKeys(before: unknown, after: unknown): string[] {
  if (typeof before !== "object" || before === null || typeof after !== "object" || after === null) return [];
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const skip = new Set(["version", "updatedAt"]);
  return Object.keys(b).filter((k) => !skip.has(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

// camelCase field names ("rollbackPlan") as words ("rollback plan").
function words(key: string): string {
  return humanise(key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase());
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

// What was done, as the verb phrase of a sentence whose subject is the person: the CAB's words, never method ids.
const PHRASES: Readonly<Record<string, (e: AuditEvent) => string>> = {
  "change.create": (e) => `created the change${field(e.after, "title") ? ` “${field(e.after, "title")}”` : ""}`,
  "change.update": (e) => {
    const keys = changedKeys(e.before, e.after);
    return keys.length > 0 ? `edited the ${keys.map(words).join(", ")}` : "edited the change";
  },
  "change.transition": (e) =>
    `moved the change from ${humanise(field(e.before, "status") ?? "?")} to ${humanise(field(e.after, "status") ?? "?")}`,
  "change.promote": (e) =>
    `promoted the change from ${humanise(field(e.before, "stage") ?? "?")} to ${humanise(field(e.after, "stage") ?? "?")}`,
  "change.delete": () => "deleted the draft",
  "change.comment": (e) => {
    const body = field(e.after, "body") ?? "";
    return body === "" ? "commented" : `commented: “${clip(body)}”`;
  },
  "change.number": (e) => `gave the change its number ${field(e.after, "number") ?? ""}`.trim(),
  "change.revise": () => "opened a new revision of the change",
  "change.release": () => "named the release to deploy",
  "change.rollback": () => "rolled the change back",
  "change.import": () => "brought the change in from the GitOps repository",
  "risk.assess": (e) =>
    `assessed the risk as ${field(e.after, "riskClass") ?? "?"} (score ${field(e.after, "score") ?? "?"})`,
  "gate.record": (e) => {
    const target = field(e.after, "target");
    return `recorded the ${humanise(field(e.after, "stage") ?? "?")} gate ${humanise(field(e.after, "gate") ?? "?")}${target ? ` (${target})` : ""} as ${field(e.after, "result") ?? "?"}`;
  },
  "gate.waive": () => "waived a gate",
  "gate.import": () => "brought in a gate record from the GitOps repository",
  "evidence.attach": (e) => `attached the evidence ${field(e.after, "filename") ?? "file"}`,
  "approval.approve": () => "approved the change with a signature",
  "approval.reject": () => "rejected the change with a signature",
  "approval.refused": () => "tried to sign the change and was refused",
  "signature.failed": () => "tried to sign but the signature could not be made",
  "exception.log": () => "logged the change as an emergency under break-glass",
  "exception.review": () => "reviewed the emergency change afterwards",
  "exception.import": () => "brought in an emergency record from the GitOps repository",
  "exception.review.superseded": (e) =>
    `did not send ${field(e.after, "reviewer") ?? "the reviewer"}'s review from this laptop: their review from another laptop (${field(e.after, "outcome") ?? "?"}) was already in the GitOps repository and stands`,
  "change.revision.superseded": (e) =>
    `did not send ${field(e.after, "requester") ?? "the requester"}'s revision from this laptop: their later revision from another laptop was already in the GitOps repository and stands`,
  "exception.refused": () => "tried to log an emergency and was refused",
  "meeting.decide": () => "recorded a CAB meeting decision",
  "meeting.defer": () => "deferred the change at a CAB meeting",
  "meeting.takeUp": () => "took the change up at a CAB meeting",
};

/** Who did it, in words: a person's name from the policy, never an account id such as `os:root`. */
function actorName(actor: string, nameOf: (email: string) => string | undefined): string {
  if (actor.startsWith("os:")) return `The computer account “${actor.slice(3)}” (no signing key chosen)`;
  if (actor.startsWith("system:")) return `Shiftgate (${humanise(actor.slice(7))})`;
  return nameOf(actor) ?? actor;
}

/** One sentence that says who did what, in the CAB's words. */
export function auditSentence(e: AuditEvent, nameOf: (email: string) => string | undefined): string {
  const phrase = PHRASES[e.action];
  const [area = "", verb = ""] = e.action.split(".");
  const what = phrase ? phrase(e) : `recorded “${words(verb)}” on the ${humanise(area)}`;
  return `${actorName(e.actor, nameOf)} ${what}.`;
}

/** Where it was done, in words. */
export function doorText(door: string): string {
  const doors: Readonly<Record<string, string>> = {
    ipc: "in the desktop app",
    web: "in the browser",
    cli: "from the command line",
    direct: "by Shiftgate itself",
  };
  return doors[door] ?? door;
}
