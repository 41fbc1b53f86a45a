import type { AuditEvent, ChangeDetail } from "../../../shared/contract/index";
import type { ApprovalRecord } from "../../../shared/contract/methods/approvals";
import type { ReportFile } from "../../../shared/contract/methods/reports";
import { displayNumber } from "../../../shared/domain/register/change-number";
import type { ReportFonts } from "./fonts";
import { type PlantZones, plantWindowText, signatureLines, zonedText } from "./format";
import { renderPdf } from "./pdf-doc";

/** What a change's full record prints. Approvals are null when the approvals capability could not say. */
interface ChangeRecordData {
  readonly change: ChangeDetail;
  readonly approvals: readonly ApprovalRecord[] | null;
  readonly quorum: string | null;
  readonly audit: readonly AuditEvent[];
  readonly timeZone: string;
  /** Each plant's zone: the window prints in plant time with UTC beside it. */
  readonly plantZones?: PlantZones;
}

function auditLine(e: AuditEvent, tz: string): string {
  const after = e.after && typeof e.after === "object" ? (e.after as Record<string, unknown>) : {};
  const what =
    typeof after.status === "string"
      ? ` -> ${after.status}`
      : typeof after.stage === "string"
        ? ` -> stage ${after.stage}`
        : "";
  return `#${e.seq}  ${zonedText(e.at, tz)}  ${e.actor}  ${e.action}${what}${e.reason ? `  (${e.reason})` : ""}`;
}

/** A change's full record as PDF: fields, risk, gates, evidence, comments, signed approvals and its audit trail. */
export function changePdf(data: ChangeRecordData, at: Date, fonts: ReportFonts): Promise<ReportFile> {
  const { change: c, timeZone: tz } = data;
  const label = displayNumber(c);
  return renderPdf(
    {
      filename: `change-${label}.pdf`,
      title: `Change record ${label}`,
      author: "Shiftgate",
      at,
      footer: `Shiftgate change record ${label}, printed ${zonedText(at, tz)}`,
    },
    (w) => {
      w.title(c.title, `Change record ${label} - ${c.type} change, ${c.status}`);
      w.facts([
        ["Id / number", `${c.id} / ${c.number ?? "not yet submitted to GitOps"}`],
        ["Status / stage", `${c.status} / ${c.stage} (target ${c.environment})`],
        ["Area / plants", `${c.area} / ${c.plants.join(", ")}`],
        ["Risk", c.risk ? `${c.risk} (score ${c.riskScore ?? "-"})` : "not assessed"],
        ["Window", plantWindowText(c.window, c.plants, data.plantZones ?? new Map())],
        ["Requester", `${c.requester.name} <${c.requester.email}>`],
        ["Implementer", c.implementer ? `${c.implementer.name} <${c.implementer.email}>` : "-"],
        ["DB migration", c.dbMigration ? "yes" : "no"],
        ["Snapshot / checkpoint", `${c.snapshotRef ?? "-"} / ${c.checkpointRef ?? "-"}`],
        ["Links", [c.links.incident, c.links.ticket, c.links.pullRequest].filter(Boolean).join(", ") || "-"],
        ["Created / updated", `${zonedText(c.createdAt, tz)} / ${zonedText(c.updatedAt, tz)}`],
      ]);
      w.heading("Description");
      w.paragraph(c.description || "-");
      w.heading("Rollback plan");
      w.paragraph(c.rollbackPlan || "-");
      if (c.assessment) {
        w.heading("Risk assessment");
        w.paragraph(
          `${c.assessment.riskClass} (score ${c.assessment.score}, questionnaire v${c.assessment.questionnaireVersion}) by ${c.assessment.assessedBy} at ${zonedText(c.assessment.assessedAt, tz)}`,
        );
        for (const b of c.assessment.breakdown) w.paragraph(`${b.questionId}: ${b.points} points`, { muted: true });
      }
      w.heading("Approvals");
      if (data.approvals === null) w.paragraph("The approvals capability is not available.", { muted: true });
      else if (data.approvals.length === 0) w.paragraph("No approval decisions recorded.", { muted: true });
      for (const a of data.approvals ?? []) {
        const state = a.current ? "" : " - for an earlier revision";
        w.paragraph(`${a.decision.toUpperCase()} (${a.scope})${state}${a.issue ? ` - ${a.issue}` : ""}`, {
          bold: true,
        });
        w.signature(signatureLines(a.signature, `Digest ${a.changeDigest}; key ${a.keyFingerprint}`));
      }
      if (data.quorum) w.paragraph(`Quorum: ${data.quorum}`, { muted: true });
      w.heading("Validation gates");
      if (c.gates.length === 0) w.paragraph("No gate results recorded.", { muted: true });
      for (const g of c.gates) {
        const waiver = g.waivedBy ? ` waived by ${g.waivedBy}` : "";
        w.paragraph(
          `${g.stage} / ${g.gate}${g.target ? ` (${g.target})` : ""}: ${g.result}${waiver}${g.reason ? ` - ${g.reason}` : ""} - ${g.recordedBy}, ${zonedText(g.recordedAt, tz)}`,
        );
      }
      w.heading("Evidence");
      if (c.evidence.length === 0) w.paragraph("No evidence attached.", { muted: true });
      for (const e of c.evidence) {
        w.paragraph(
          `${e.filename} (${e.size} bytes, sha256 ${e.sha256}) by ${e.attachedBy}, ${zonedText(e.attachedAt, tz)}`,
        );
      }
      if (c.comments.length > 0) {
        w.heading("Comments");
        for (const m of c.comments) w.paragraph(`${m.author}, ${zonedText(m.createdAt, tz)}: ${m.body}`);
      }
      w.heading("Audit trail");
      for (const e of data.audit) w.paragraph(auditLine(e, tz), { muted: true });
      const last = data.audit.at(-1);
      if (last) w.paragraph(`Last audit row hash: ${last.hash}`, { muted: true });
    },
    fonts,
  );
}
