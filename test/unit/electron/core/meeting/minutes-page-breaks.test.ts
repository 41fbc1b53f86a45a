import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../../../electron/core/core";
import { reportFonts } from "../../../../../electron/core/reports/fonts";
import { minutesPdf } from "../../../../../electron/core/reports/minutes-pdf";
import type { MethodInput, MethodName, MethodOutput } from "../../../../../shared/contract/index";
import { tempCore } from "../../../../helpers/temp";

// Issue #19 item 5: a decision line ("APPROVED by …") heads its signature box; a page break must never fall between
// them. Items with notes of growing length move each decision through every position on a page, so some land at
// a page's foot; pdftotext's page splits (form feeds) show where each page ends.
let core: Core;
let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  ({ core, dir, cleanup } = await tempCore());
});
afterAll(() => cleanup());

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.call(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

const SOFIA = "sofia.rossi@plant.example";

describe("minutes page breaks", () => {
  it("never leaves a decision line at the foot of a page with its signature on the next", async () => {
    const started = await call("meeting.start", { attendees: [SOFIA] });
    const edi = started.items.find((i) => i.frozen.title.startsWith("EDI 856")) ?? expect.fail("no EDI item");
    const keyFile = (await call("identity.demoKeys", {})).find((k) => k.email === SOFIA)?.keyFile ?? "";
    const meeting = await call("meeting.decide", {
      id: started.id,
      changeId: edi.changeId,
      decision: "approved",
      keyFile,
    });
    const decided = meeting.items.find((i) => i.changeId === edi.changeId) ?? expect.fail("no decided item");
    const items = Array.from({ length: 40 }, (_, i) => ({
      ...decided,
      notes: "Checked with the shift lead. ".repeat(i),
    }));
    const pdf = await minutesPdf({ ...meeting, items }, new Date("2026-12-01T09:00:00Z"), reportFonts());
    const file = join(dir, "minutes.pdf");
    writeFileSync(file, Buffer.from(pdf.contentBase64, "base64"));
    const pages = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).split("\f");
    expect(pages.length).toBeGreaterThan(10);
    const lastLines = pages.slice(0, -1).map((p) => {
      const lines = p.split("\n").filter((l) => l.trim() !== "" && !l.includes("Shiftgate minutes"));
      return lines.at(-1)?.trim() ?? "";
    });
    expect(lastLines.filter((l) => /^(APPROVED|REJECTED) by/.test(l))).toEqual([]);
  }, 60_000);

  it("print each item's window in its plants' own time with UTC beside it, and the conflicts the calendars find", async () => {
    const meeting = (await call("meeting.current", {})) ?? expect.fail("no open meeting");
    const pdf = await call("report.minutesPdf", { meetingId: meeting.id });
    const file = join(dir, "minutes-context.pdf");
    writeFileSync(file, Buffer.from(pdf.contentBase64, "base64"));
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    const edi = text.slice(text.indexOf("EDI 856 mapping"));
    // One way of showing time (reports/format.ts plantWindowText): the plant's clock with its zone, UTC beside it.
    expect(edi).toMatch(/Window\s+chicago: Thu 03 Dec 2026, 14:00 to 18:00 CST \(UTC-06:00\) \[UTC: Thu 03 Dec/);
    expect(edi).toMatch(/2026, 20:00 to 00:00 UTC\]/);
    expect(edi).toMatch(/Conflicts\s+outside maintenance/);
  });
});
