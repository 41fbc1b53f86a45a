import { createHash } from "node:crypto";
import type { ReportFile } from "../../../shared/contract/methods/reports";
import type { ReportFonts } from "./fonts";
import { FONT_NAMES, textPrinter } from "./pdf-text";

/** A small writing surface over pdfkit: the report layouts say what to print, this says how it looks. */
export interface PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  title(text: string, subtitle?: string): void;
  heading(text: string): void;
  /** Starts a new page unless `height` points fit on this one: keeps a heading with what it heads. */
  keep(height: number): void;
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

/**
 * Writes a PDF through `write` and returns it as a report file; `at` fixes the creation date for
 * reproducibility, `fonts` are the caller's report fonts (parsed fonts are kept there for the next PDF).
 */
export async function renderPdf(
  meta: {
    readonly filename: string;
    readonly title: string;
    readonly author: string;
    readonly at: Date;
    readonly footer: string;
  },
  write: (w: PdfWriter) => void,
  fonts: ReportFonts,
): Promise<ReportFile> {
  // pdfkit loads on the first report, not at every CLI start (it costs ~200 ms to import).
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN + 10, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: meta.title, Author: meta.author, Creator: "Shiftgate", CreationDate: meta.at },
  });
  const print = textPrinter(doc, fonts);
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
      print(text, { weight: "bold", size: 20, color: ACCENT }, { width });
      if (subtitle) print(subtitle, { weight: "regular", size: 11, color: MUTED }, { width });
      doc.moveDown(0.8);
    },
    keep: (height) => ensure(height),
    heading: (text) => {
      ensure(60);
      doc.font(FONT_NAMES.text.bold).fontSize(13).moveDown(0.6);
      print(text, { weight: "bold", size: 13, color: ACCENT }, { width }, [MARGIN, doc.y]);
      doc.moveDown(0.3);
    },
    paragraph: (text, options = {}) => {
      ensure(20);
      const style = {
        weight: options.bold ? "bold" : "regular",
        size: 10,
        color: options.muted ? MUTED : INK,
      } as const;
      print(text, style, { width }, [MARGIN, doc.y]);
      doc.moveDown(0.2);
    },
    facts: (rows) => {
      for (const [label, value] of rows) {
        ensure(16);
        const y = doc.y;
        print(label, { weight: "regular", size: 9, color: MUTED }, { width: 120 }, [MARGIN, y]);
        print(value || "-", { weight: "regular", size: 10, color: INK }, { width: width - 130 }, [MARGIN + 130, y]);
        doc.moveDown(0.15);
      }
      doc.x = MARGIN;
    },
    signature: (lines) => {
      doc.font(FONT_NAMES.text.regular).fontSize(10);
      ensure(doc.currentLineHeight(true) * lines.length + 18);
      const top = doc.y;
      doc.y = top + 6;
      lines.forEach((line, i) => {
        const style = { weight: i === 0 ? "bold" : "regular", size: 10, color: INK } as const;
        print(line, style, { width: width - 16 }, [MARGIN + 8, doc.y]);
      });
      // The box is drawn around what was printed, so a line that wraps (or a taller CJK line) stays inside it.
      const bottom = doc.y + 6;
      doc
        .save()
        .rect(MARGIN, top, width, bottom - top)
        .lineWidth(0.8)
        .strokeColor(ACCENT)
        .stroke()
        .restore();
      doc.y = bottom + 6;
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
    print(
      `${meta.footer}  -  page ${i + 1} of ${range.count}`,
      { weight: "regular", size: 8, color: MUTED },
      {
        width,
        lineBreak: false,
      },
      [MARGIN, y],
    );
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
