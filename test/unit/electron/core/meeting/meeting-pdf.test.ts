import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../../../electron/core/core";
import type { MethodInput, MethodName, MethodOutput } from "../../../../../shared/contract/index";
import type { Meeting } from "../../../../../shared/contract/methods/meeting";
import { lowRiskAnswers } from "../../../../helpers/risk-answers";
import { tempCore } from "../../../../helpers/temp";

let core: Core;
let dir: string;
let cleanup: () => void;

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.call(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

async function keyOf(email: string): Promise<string> {
  const keys = await call("identity.demoKeys", {});
  const key = keys.find((k) => k.email === email);
  if (!key) throw new Error(`no demo key for ${email}`);
  return key.keyFile;
}

const SOFIA = "sofia.rossi@plant.example";
const MARCUS = "marcus.reed@plant.example";
const KENJI = "kenji.sato@plant.example";

beforeAll(async () => {
  ({ core, dir, cleanup } = await tempCore());
});
afterAll(() => cleanup());

describe("a CAB meeting over the demo register", () => {
  let meeting: Meeting;

  it("freezes the agenda of changes awaiting approval, ordered by window start", async () => {
    const preview = await call("meeting.agenda", {});
    meeting = await call("meeting.start", { attendees: [SOFIA, MARCUS, KENJI] });
    expect(meeting.items.map((i) => i.changeId)).toEqual(preview.items.map((c) => c.id));
    const starts = meeting.items.map((i) => Date.parse(i.frozen.window?.start ?? ""));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(meeting.items.length).toBeGreaterThanOrEqual(2);
    const again = await core.call("meeting.start", { attendees: [SOFIA] });
    expect(again.ok).toBe(false);
  });

  it("records signed decisions by the people present, and refuses someone absent", async () => {
    const edi = meeting.items.find((i) => i.frozen.title.startsWith("EDI 856"));
    if (!edi) throw new Error("EDI change not on the agenda");
    await call("meeting.timer", { id: meeting.id, changeId: edi.changeId, action: "start" });
    meeting = await call("meeting.decide", {
      id: meeting.id,
      changeId: edi.changeId,
      decision: "approved",
      keyFile: await keyOf(SOFIA),
    });
    meeting = await call("meeting.decide", {
      id: meeting.id,
      changeId: edi.changeId,
      decision: "approved",
      keyFile: await keyOf(MARCUS),
    });
    const item = meeting.items.find((i) => i.changeId === edi.changeId);
    expect(item?.decisions.map((d) => d.by.email)).toEqual([SOFIA, MARCUS]);
    expect(item?.decisions[0]?.signatures[0]?.meaning).toMatch(/^Approved at CAB meeting/);
    expect(item?.current?.status).toBe("approved");
    const absent = await core.call("meeting.decide", {
      id: meeting.id,
      changeId: edi.changeId,
      decision: "rejected",
      keyFile: await keyOf("ana.ortiz@plant.example"),
    });
    expect(absent.ok).toBe(false);
    if (!absent.ok) expect(absent.error.code).toBe("forbidden");
  });

  it("defers with a reason, shows late additions apart and ends", async () => {
    const other = meeting.items.find((i) => !i.frozen.title.startsWith("EDI 856"));
    if (!other) throw new Error("no second item");
    meeting = await call("meeting.defer", {
      id: meeting.id,
      changeId: other.changeId,
      reason: "Wait for the Pune receipts audit",
    });
    const late = await call("change.create", {
      title: "Late: Chicago dock door labels",
      type: "normal",
      area: "barcode",
      plants: ["chicago"],
      environment: "qa",
      requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
      window: { start: "2026-12-05T08:00:00Z", end: "2026-12-05T10:00:00Z" },
    });
    await call("change.transition", { id: late.id, to: "submitted" });
    await call("risk.assess", {
      changeId: late.id,
      answers: lowRiskAnswers(),
    });
    await call("change.transition", { id: late.id, to: "assessed" });
    await call("change.transition", { id: late.id, to: "awaiting-approval" });
    meeting = await call("meeting.get", { id: meeting.id });
    expect(meeting.addedLate.map((c) => c.id)).toEqual([late.id]);
    expect(meeting.items.some((i) => i.changeId === late.id)).toBe(false);
    meeting = await call("meeting.note", { id: meeting.id, notes: "Quarter-end freeze starts 20 Dec." });
    meeting = await call("meeting.end", { id: meeting.id });
    expect(meeting.status).toBe("ended");
    expect(meeting.addedLate).toEqual([]);
  });

  it("prints minutes whose first page shows each signature's printed name, date, time with zone and meaning", async () => {
    const file = await call("report.minutesPdf", { meetingId: meeting.id });
    const pdf = join(dir, file.filename);
    writeFileSync(pdf, Buffer.from(file.contentBase64, "base64"));
    const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
    expect(text).toContain("Signed by Sofia Rossi <sofia.rossi@plant.example>");
    expect(text).toContain("Signed by Marcus Reed <marcus.reed@plant.example>");
    expect(text).toMatch(/Date and time: 2026-12-01 09:00:00 UTC\+01:00 \(Europe\/Berlin\)/);
    expect(text).toMatch(/Meaning: Approved at CAB meeting 1 Dec 2026/);
    expect(text).toContain("DEFERRED by");
    expect(text).toContain("Wait for the Pune receipts audit");
    expect(text).toContain("Quarter-end freeze starts 20 Dec.");
    const out = join(dir, "png");
    mkdirSync(out, { recursive: true });
    execFileSync("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", pdf, join(out, "page")]);
    const png = ["page-1.png", "page-01.png"].map((f) => join(out, f)).find((f) => existsSync(f));
    expect(png).toBeDefined();
    const firstPage = execFileSync("pdftotext", ["-f", "1", "-l", "1", "-layout", pdf, "-"], { encoding: "utf8" });
    expect(firstPage).toContain("Minutes: CAB meeting 1 Dec 2026");
    expect(firstPage).toMatch(/Signed by \w+ \w+ </);
  });

  it("brings a deferred change back to the next meeting with its earlier deferral", async () => {
    const deferred = meeting.items.find((i) => i.decisions.some((d) => d.kind === "deferred"));
    if (!deferred) throw new Error("nothing was deferred");
    const agenda = await call("meeting.agenda", {});
    expect(agenda.earlierDeferrals[deferred.changeId]?.map((d) => d.reason)).toEqual([
      "Wait for the Pune receipts audit",
    ]);
    const next = await call("meeting.start", { attendees: [SOFIA], title: "Follow-up CAB" });
    const again = next.items.find((i) => i.changeId === deferred.changeId);
    expect(again?.earlierDeferrals).toEqual([expect.objectContaining({ meetingId: meeting.id })]);
    const pdf = await call("report.minutesPdf", { meetingId: next.id });
    const file = join(dir, "follow-up.pdf");
    writeFileSync(file, Buffer.from(pdf.contentBase64, "base64"));
    expect(execFileSync("pdftotext", [file, "-"], { encoding: "utf8" })).toContain("Deferred earlier at CAB meeting");
    await call("meeting.end", { id: next.id });
  });

  it("prints a change's full record and exports the audit for auditors", async () => {
    const list = await call("change.list", { q: "EDI 856" });
    const id = list.items[0]?.id ?? "";
    const file = await call("report.changePdf", { changeId: id });
    const pdf = join(dir, file.filename);
    writeFileSync(pdf, Buffer.from(file.contentBase64, "base64"));
    const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
    expect(text).toContain("Signed by Sofia Rossi");
    expect(text).toContain("Audit trail");
    const csv = await call("report.auditExport", { format: "csv", changeId: id });
    const lines = Buffer.from(csv.contentBase64, "base64").toString("utf8").trim().split("\r\n");
    expect(lines[0]).toBe("seq,at,actor,door,action,entity,entityId,reason,before,after,prevHash,hash");
    expect(lines.length).toBeGreaterThan(5);
    const json = await call("report.auditExport", { format: "json" });
    const body = JSON.parse(Buffer.from(json.contentBase64, "base64").toString("utf8")) as {
      verification: { ok: boolean };
      events: unknown[];
    };
    expect(body.verification.ok).toBe(true);
    expect(body.events.length).toBeGreaterThan(lines.length);
  });
});
