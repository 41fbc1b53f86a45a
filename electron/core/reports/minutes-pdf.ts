import type { ChangeSummary } from "../../../shared/contract/index";
import type { Meeting, MeetingDecision, MeetingItem } from "../../../shared/contract/methods/meeting";
import type { ReportFile } from "../../../shared/contract/methods/reports";
import { displayNumber } from "../../../shared/domain/register/change-number";
import type { ReportFonts } from "./fonts";
import { durationText, type PlantZones, plantWindowText, signatureLines, zonedText } from "./format";
import type { MinutesContext } from "./minutes-context";
import { type PdfWriter, renderPdf } from "./pdf-doc";

function changeLabel(c: ChangeSummary): string {
  return `${displayNumber(c)}  ${c.title}`;
}

// Plant time with UTC beside it (the zones come from plant.list).
function windowText(c: ChangeSummary, zones: PlantZones): string {
  return c.window ? plantWindowText(c.window, c.plants, zones) : "no window planned";
}

function conflictText(c: ChangeSummary, context: MinutesContext): string {
  const found = context.conflicts.get(c.id);
  if (!c.window) return "no window planned";
  if (found === undefined) return "not checked (the plant calendars could not be read)";
  if (found.length === 0) return "none with the plant calendars";
  return found
    .map((x) => {
      const plant = context.plants.find((p) => p.id === x.plant || p.name === x.plant);
      const tz = plant?.timeZone ?? "UTC";
      return `${x.kind.replaceAll("-", " ")}${plant ? ` at ${plant.name}` : ""}${x.with ? ` with ${x.with}` : ""}, ${zonedText(x.start, tz)} to ${zonedText(x.end, tz)}`;
    })
    .join("; ");
}

function decisionWord(d: MeetingDecision): string {
  switch (d.kind) {
    case "approved":
      return "APPROVED";
    case "rejected":
      return "REJECTED";
    case "deferred":
      return "DEFERRED";
  }
}

// A decision line with its first signature box (about 14 pt a line, 18 pt of box) and the reason: so the line that
// heads a signature is never left alone at the foot of a page while its signature starts the next.
function decisionHeight(d: MeetingDecision): number {
  const first = d.signatures[0];
  const box = first ? signatureLines(first, "scope").length * 14 + 30 : 0;
  return 20 + (d.reason ? 20 : 0) + box;
}

function writeDecision(w: PdfWriter, d: MeetingDecision, tz: string): void {
  const when = zonedText(d.at, tz, true);
  w.keep(decisionHeight(d));
  if (d.kind === "deferred") {
    w.paragraph(`${decisionWord(d)} by ${d.by.name} at ${when}`, { bold: true });
    w.paragraph(`Reason: ${d.reason ?? "-"}`);
    return;
  }
  w.paragraph(`${decisionWord(d)} by ${d.by.name} at ${when}`, { bold: true });
  if (d.reason) w.paragraph(`Reason: ${d.reason}`);
  for (const s of d.signatures) w.signature(signatureLines(s, `Scope: ${s.scope}; approval record ${s.approvalId}`));
  if (d.quorum) w.paragraph(`Quorum after this decision: ${d.quorum}`, { muted: true });
}

function writeItem(
  w: PdfWriter,
  item: MeetingItem,
  index: number,
  tz: string,
  zones: PlantZones,
  context: MinutesContext,
): void {
  const c = item.frozen;
  w.heading(`${index}. ${changeLabel(c)}${item.late ? "  (added late)" : ""}`);
  w.facts([
    ["Change", `${displayNumber(c)}${c.number ? "" : " (no CHG number yet)"} (id ${c.id})`],
    ["Type / risk", `${c.type} / ${c.risk ?? "not assessed"}${c.riskScore === null ? "" : ` (score ${c.riskScore})`}`],
    ["Plants", c.plants.join(", ")],
    ["Area / environment", `${c.area} / ${c.environment}`],
    ["Window", windowText(c, zones)],
    ["Conflicts", conflictText(item.current ?? c, context)],
    ["Requester", `${c.requester.name} <${c.requester.email}>`],
    ["Status", `${c.status} at the agenda freeze; ${item.current?.status ?? "no longer in the register"} now`],
    ["Time discussed", durationText(item.secondsSpent)],
  ]);
  for (const d of item.earlierDeferrals) {
    w.paragraph(`Deferred earlier at ${d.meetingTitle} (${zonedText(d.at, tz)}): ${d.reason}`, { muted: true });
  }
  if (item.decisions.length === 0) w.paragraph("No decision recorded.", { muted: true });
  for (const d of item.decisions) writeDecision(w, d, tz);
  if (item.notes.trim()) w.paragraph(`Notes: ${item.notes}`);
}

function chairText(meeting: Meeting): string {
  const a = meeting.attendees.find((x) => x.email === meeting.chair);
  return a ? `${a.name} <${a.email}>` : meeting.chair;
}

/** The minutes of a meeting as PDF: attendees, the frozen agenda, decisions with signatures, notes. */
export function minutesPdf(
  meeting: Meeting,
  at: Date,
  fonts: ReportFonts,
  context: MinutesContext = { plants: [], conflicts: new Map() },
): Promise<ReportFile> {
  const tz = meeting.timeZone;
  const zones: PlantZones = new Map(context.plants.map((p) => [p.id, p.timeZone]));
  const day = meeting.startedAt.slice(0, 10);
  return renderPdf(
    {
      filename: `minutes-${day}-${meeting.id}.pdf`,
      title: `Minutes: ${meeting.title}`,
      author: meeting.chair,
      at,
      footer: `Shiftgate minutes ${meeting.id}${meeting.status === "open" ? " (DRAFT: meeting still open)" : ""}`,
    },
    (w) => {
      w.title(
        `Minutes: ${meeting.title}`,
        meeting.status === "open" ? "Draft: the meeting is still open" : "Final minutes of the change advisory board",
      );
      const decided = meeting.items.filter((i) => i.decisions.length > 0).length;
      w.facts([
        ["Started", zonedText(meeting.startedAt, tz)],
        ["Ended", meeting.endedAt ? zonedText(meeting.endedAt, tz) : "still open"],
        ["Chair", chairText(meeting)],
        [
          "Agenda",
          `${meeting.items.length} items (frozen at the start; ${meeting.items.filter((i) => i.late).length} taken up late), ${decided} decided`,
        ],
        [
          "Agenda window",
          `changes awaiting approval with a window starting before ${zonedText(meeting.horizonEnd, tz)}`,
        ],
      ]);
      w.heading("Attendees");
      for (const a of meeting.attendees) {
        const left = a.leftAt ? `, left ${zonedText(a.leftAt, tz)}` : "";
        w.paragraph(`${a.name} <${a.email}>${a.roles.length ? ` - ${a.roles.join(", ")}` : ""}${left}`);
      }
      if (meeting.notes.trim()) {
        w.heading("Meeting notes");
        w.paragraph(meeting.notes);
      }
      for (const [i, item] of meeting.items.entries()) writeItem(w, item, i + 1, tz, zones, context);
      if (meeting.addedLate.length > 0) {
        w.heading("Added late, not taken up");
        for (const c of meeting.addedLate) w.paragraph(`${changeLabel(c)} - window ${windowText(c, zones)}`);
      }
      w.rule();
      w.paragraph(
        `Times are shown in ${tz} unless a signature records its own zone. Each signature is an electronic signature recorded by Shiftgate with the signer's own key after re-authentication.`,
        { muted: true },
      );
    },
    fonts,
  );
}
