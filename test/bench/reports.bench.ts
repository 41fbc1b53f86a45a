import PDFDocument from "pdfkit";
import type { ChangeSummary, ListPage } from "../../shared/contract/index";
import type { ReportFile } from "../../shared/contract/methods/reports";
import { tempCore } from "../helpers/temp";
import { type BenchRun, lowerIsBetter, medianMs } from "./harness";

/**
 * A change's record PDF through the core (register reads, embedded Noto fonts subset per PDF) against pdfkit
 * writing the same number of lines in its built-in Helvetica, which embeds no font: the price of printing every
 * name correctly. The first PDF of a core also parses the fonts; it is reported on its own.
 */
export const run: BenchRun = async (report) => {
  const { core, cleanup } = await tempCore();
  try {
    const page = await core.call("change.list", { pageSize: 50 });
    if (!page.ok) throw new Error(page.error.message);
    const changes = (page.value as ListPage<ChangeSummary>).items;
    const first = changes[0];
    if (!first) throw new Error("the demo register has no changes");
    const pdf = async (changeId: string) => {
      const r = await core.call("report.changePdf", { changeId });
      if (!r.ok) throw new Error(r.error.message);
      return r.value as ReportFile;
    };
    const start = performance.now();
    const sample = await pdf(first.id);
    const cold = performance.now() - start;
    const text = Buffer.from(sample.contentBase64, "base64").length;
    const lines = Array.from({ length: 120 }, (_, i) => `${first.title} · line ${i} · ${first.plants.join(", ")}`);
    const helvetica = () =>
      new Promise<number>((resolve) => {
        const doc = new PDFDocument({ size: "A4", margin: 50 });
        let size = 0;
        doc.on("data", (c: Buffer) => {
          size += c.length;
        });
        doc.on("end", () => resolve(size));
        doc.font("Helvetica").fontSize(10);
        for (const line of lines) doc.text(line);
        doc.end();
      });
    const baseline = await medianMs(helvetica, 21, 3);
    let i = 0;
    const warm = await medianMs(() => pdf((changes[i++ % changes.length] as ChangeSummary).id), 21, 3);
    report(lowerIsBetter("change record PDF via core, fonts parsed (median)", warm, "ms", baseline));
    report(lowerIsBetter("first change record PDF of a core (parses the fonts)", cold, "ms", baseline));
    report(lowerIsBetter("change record PDF size (demo change)", text / 1024, "KiB", (await helvetica()) / 1024));
  } finally {
    cleanup();
  }
};
