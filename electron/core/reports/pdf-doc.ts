import { createHash } from "node:crypto";
import PDFDocument from "pdfkit";
import type { ReportFile } from "../../../shared/contract/methods/reports";

/** A small writing surface over pdfkit: the report layouts say what to print, this says how it looks. */
export interface PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  title(text: string, subtitle?: string): void;
  heading(text: string): void;
  paragraph(text: string, options?: { readonly muted?: boolean; readonly bold?: boolean }): void;
  /** Label/value pairs in two columns. */
  facts(rows: readonly (readonly [string, string])[]): void;
  /** A boxed signature manifestation: printed name, date and time with zone, meaning. */
  signature(lines: readonly string[]): void;
  rule(): void;
}

const MARGIN = 50;
const INK = "#111111";
const MUTED = "#555555";
const ACCENT = "#1f4e8c";

// The standard PDF fonts only carry WinAnsi: anything outside it would print as garbage, so it is replaced.
function ansi(text: string): string {
  return text
    .replace(/[→⇒]/g, "->")
    .replace(/[^\n\r\t\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g, "?");
}

/** Writes a PDF through `write` and returns it as a report file; `at` fixes the creation date for reproducibility. */
export async function renderPdf(
  meta: {
    readonly filename: string;
    readonly title: string;
    readonly author: string;
    readonly at: Date;
    readonly footer: string;
  },
  write: (w: PdfWriter) => void,
): Promise<ReportFile> {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN + 10, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: meta.title, Author: meta.author, Creator: "Shiftgate", CreationDate: meta.at },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const ensure = (height: number) => {
    if (doc.y + height > doc.page.height - MARGIN - 20) doc.addPage();
  };
  const w: PdfWriter = {
    doc,
    title: (text, subtitle) => {
      doc.font("Helvetica-Bold").fontSize(20).fillColor(ACCENT).text(ansi(text), { width });
      if (subtitle) doc.font("Helvetica").fontSize(11).fillColor(MUTED).text(ansi(subtitle), { width });
      doc.moveDown(0.8);
    },
    heading: (text) => {
      ensure(60);
      doc
        .moveDown(0.6)
        .font("Helvetica-Bold")
        .fontSize(13)
        .fillColor(ACCENT)
        .text(ansi(text), MARGIN, doc.y, { width });
      doc.moveDown(0.3);
    },
    paragraph: (text, options = {}) => {
      ensure(20);
      doc
        .font(options.bold ? "Helvetica-Bold" : "Helvetica")
        .fontSize(10)
        .fillColor(options.muted ? MUTED : INK)
        .text(ansi(text), MARGIN, doc.y, { width });
      doc.moveDown(0.2);
    },
    facts: (rows) => {
      for (const [label, value] of rows) {
        ensure(16);
        const y = doc.y;
        doc.font("Helvetica").fontSize(9).fillColor(MUTED).text(ansi(label), MARGIN, y, { width: 120 });
        doc
          .font("Helvetica")
          .fontSize(10)
          .fillColor(INK)
          .text(ansi(value || "-"), MARGIN + 130, y, { width: width - 130 });
        doc.moveDown(0.15);
      }
      doc.x = MARGIN;
    },
    signature: (lines) => {
      const height = 12 * lines.length + 12;
      ensure(height + 6);
      const top = doc.y;
      doc.save().rect(MARGIN, top, width, height).lineWidth(0.8).strokeColor(ACCENT).stroke().restore();
      doc.y = top + 6;
      lines.forEach((line, i) => {
        doc
          .font(i === 0 ? "Helvetica-Bold" : "Helvetica")
          .fontSize(10)
          .fillColor(INK)
          .text(ansi(line), MARGIN + 8, doc.y, { width: width - 16 });
      });
      doc.y = top + height + 6;
      doc.x = MARGIN;
    },
    rule: () => {
      doc.moveDown(0.3);
      doc
        .save()
        .moveTo(MARGIN, doc.y)
        .lineTo(MARGIN + width, doc.y)
        .lineWidth(0.5)
        .strokeColor("#999999")
        .stroke()
        .restore();
      doc.moveDown(0.3);
    },
  };
  write(w);
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make pdfkit open a new page for the footer.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN + 5;
    doc.font("Helvetica").fontSize(8).fillColor(MUTED);
    doc.text(ansi(`${meta.footer}  -  page ${i + 1} of ${range.count}`), MARGIN, y, { width, lineBreak: false });
  }
  doc.end();
  const content = await done;
  return {
    filename: meta.filename,
    mediaType: "application/pdf",
    contentBase64: content.toString("base64"),
    sha256: createHash("sha256").update(content).digest("hex"),
    size: content.length,
  };
}
