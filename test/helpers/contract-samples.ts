import type { MethodInput, MethodName } from "../../shared/contract/index";
import { lowRiskAnswers } from "./risk-answers";

/** Ids of rows in the demo register that samples point at. */
export interface SampleIds {
  /** A change past approval (closed): edits, decisions and gates on it are refused. */
  readonly closedChange: string;
  readonly evidence: string;
}

const UNKNOWN = "01J00000000000000000000000";
const person = { name: "Lena Weber", email: "lena.weber@plant.example" };
const window = { start: "2026-12-05T22:00:00+01:00", end: "2026-12-06T02:00:00+01:00" };
const changeInput: MethodInput<"change.create"> = {
  title: "Switch Berlin pick routes to two-step",
  description: "Two-step delivery\nfor the Berlin warehouse",
  type: "normal",
  area: "warehouse",
  plants: ["berlin"],
  environment: "production",
  requester: person,
  window,
};

/**
 * One input of the right shape for every method of the contract (the type makes a new method add one). Samples
 * of methods that write aim at something the core refuses (a closed change, an unknown meeting), so a fuzz run
 * that leaves them intact must change nothing.
 */
export function contractSamples(ids: SampleIds): { readonly [M in MethodName]: MethodInput<M> } {
  const id = ids.closedChange;
  return {
    "app.status": {},
    "change.create": { ...changeInput, actor: "lena.weber@plant.example" },
    "change.createMany": { changes: [changeInput] },
    "change.update": { id, patch: { title: "Late edit", window } },
    "change.get": { id },
    "change.list": { status: ["draft"], q: "mrp", windowFrom: window.start, windowTo: window.end },
    "change.transition": { id, to: "draft", reason: "again" },
    "change.promote": { id, to: "integration" },
    "change.delete": { id, reason: "gone" },
    "change.comment": { id: UNKNOWN, body: "hello\nthere" },
    "standard.templates": {},
    "risk.questionnaire": {},
    "risk.assess": { changeId: id, answers: lowRiskAnswers() },
    "gate.record": { changeId: id, stage: "qa", gate: "mrp-run", result: "pass" },
    "evidence.attach": { changeId: id, filename: "a.txt", contentBase64: "aGVsbG8=" },
    "evidence.read": { id: ids.evidence },
    "audit.list": { changeId: id },
    "audit.verify": {},
    "register.export": { format: "json" },
    "identity.current": {},
    "identity.use": { keyFile: "/nonexistent/id_ed25519" },
    "identity.demoKeys": {},
    "identity.people": {},
    "approval.inbox": {},
    "approval.preview": { changeId: id },
    "approval.signers": { changeId: id, emails: ["sofia.rossi@plant.example"] },
    "approval.decide": { changeId: id, scope: "deploy", decision: "approved", meaning: "Approved" },
    "approval.settle": { changeId: id },
    "exception.log": {
      title: "Hotfix",
      area: "mrp",
      plants: ["berlin"],
      requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
      justification: "Line down",
      incident: "INC-1",
      breakGlass: window,
      actions: "Restarted\tworkers",
    },
    "exception.review": { changeId: id, outcome: "accepted" },
    "exception.list": {},
    "exception.overdue": {},
    "exception.stats": { months: 3 },
    "plant.list": {},
    "plant.known": {},
    "plant.get": { plant: "berlin" },
    "plant.import": { ics: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", fileName: "x.ics" },
    "plant.previewImport": { ics: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", fileName: "x.ics" },
    "plant.export": { plant: "berlin" },
    "plant.applyPreset": { preset: "2x12-dupont", plant: "Nowhere", anchor: "2026-12-01" },
    "plant.remove": { plant: "no such plant" },
    "calendar.feed": { name: "Berlin changes", changes: [{ id: "CHG-1", title: "x", ...window, plants: ["berlin"] }] },
    "calendar.presets": {},
    "calendar.expand": { plants: ["berlin"], from: window.start, to: window.end },
    "calendar.check": { plants: ["berlin"], ...window, area: "mrp" },
    "calendar.nextWindow": { plants: ["berlin"], duration: "2h", after: window.start },
    "calendar.syncWindows": { plants: ["berlin"] },
    "gitops.verify": {},
    "gitops.policy": {},
    "gitops.createDemo": {},
    "gitops.connect": { url: "file:///nonexistent/plant-gitops.git" },
    "gitops.outbox": {},
    "gitops.push": {},
    "gitops.submit": { changeId: id },
    "gitops.sync": {},
    "gitops.syncStatus": {},
    "gitops.syncFocus": {},
    "gitops.changeSignatures": { change: id },
    "gitops.drift": {},
    "gitops.publishCalendars": {},
    "gitops.release": { changeId: id, image: "odoo", tag: "17.0" },
    "gitops.rollback": { changeId: id, reason: "The MRP run fails after the release" },
    "cluster.contexts": {},
    "cluster.config": {},
    "cluster.configure": { kubeconfig: { kind: "default" }, environments: [] },
    "cluster.environments": {},
    "meeting.agenda": { horizonDays: 14 },
    "meeting.start": { attendees: ["lena.weber@plant.example"] },
    "meeting.current": {},
    "meeting.get": { id: UNKNOWN },
    "meeting.list": {},
    "meeting.attend": { id: UNKNOWN, email: "lena.weber@plant.example", present: true },
    "meeting.timer": { id: UNKNOWN, changeId: id, action: "start" },
    "meeting.decide": { id: UNKNOWN, changeId: id, decision: "approved", keyFile: "/nonexistent/key" },
    "meeting.defer": { id: UNKNOWN, changeId: id, reason: "later" },
    "meeting.takeUp": { id: UNKNOWN, changeId: id },
    "meeting.note": { id: UNKNOWN, notes: "notes" },
    "meeting.end": { id: UNKNOWN },
    "report.minutesPdf": { meetingId: UNKNOWN },
    "report.changePdf": { changeId: id },
    "report.auditExport": { format: "csv", changeId: id },
    "report.figures": { months: 2 },
    "home.summary": {},
    // Refused by the policy before Odoo is reached: production is never written by default.
    "odoo.smoke": { environment: "production", mode: "write" },
    "home.notifications": { after: 0 },
    "odoo.connection.list": {},
    "odoo.connection.set": { environment: "qa", url: "http://127.0.0.1:9/", database: "plant", login: "bot" },
    "odoo.connection.test": { environment: "qa" },
    "odoo.check.list": {},
    "odoo.check.run": { environment: "qa", changeId: id },
    "odoo.check.latest": { environment: "qa" },
    "odoo.check.confirm": { gateId: UNKNOWN },
  };
}
