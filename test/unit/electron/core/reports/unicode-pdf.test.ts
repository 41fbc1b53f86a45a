import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../../../electron/core/core";
import { changePdf } from "../../../../../electron/core/reports/change-pdf";
import { reportFonts } from "../../../../../electron/core/reports/fonts";
import type { MethodInput, MethodName, MethodOutput } from "../../../../../shared/contract/index";
import type { ApprovalRecord } from "../../../../../shared/contract/methods/approvals";
import type { ReportFile } from "../../../../../shared/contract/methods/reports";
import { tempCore } from "../../../../helpers/temp";

// Names from the plants and people a manufacturer has: Polish, Czech, Turkish, Greek, Russian, Vietnamese
// and Japanese. The standard PDF fonts print every one of them with "?" in place of some letters.
const PLANT_PL = "Łódź";
const PLANT_TR = "İzmir";
const PLANT_RU = "Пермь";
const PLANT_GR = "Θεσσαλονίκη";
const PLANT_JP = "名古屋工場";
const REQUESTER = "Antonín Dvořák";
const IMPLEMENTER = "Nguyễn Thị Hương";

let core: Core;
let dir: string;
let cleanup: () => void;

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.call(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

function textOf(file: ReportFile, name: string): string {
  const pdf = join(dir, name);
  writeFileSync(pdf, Buffer.from(file.contentBase64, "base64"));
  return execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
}

function fontsOf(file: ReportFile, name: string): string {
  const pdf = join(dir, name);
  writeFileSync(pdf, Buffer.from(file.contentBase64, "base64"));
  return execFileSync("pdffonts", [pdf], { encoding: "utf8" });
}

function approval(changeId: string, name: string, email: string): ApprovalRecord {
  return {
    id: `approval-${email}`,
    changeId,
    scope: "deploy",
    decision: "approved",
    signature: {
      name,
      email,
      role: "plant-ops-leader",
      signedAt: "2026-12-01T09:12:44+01:00",
      timeZone: "Europe/Warsaw",
      meaning: `Approved for ${PLANT_PL}`,
    },
    changeDigest: "sha256:0000",
    current: true,
    issue: null,
    keyFingerprint: "SHA256:test",
    commit: null,
  };
}

let changeId: string;

beforeAll(async () => {
  ({ core, dir, cleanup } = await tempCore());
  const change = await call("change.create", {
    title: `Label printers for ${PLANT_PL} and ${PLANT_TR}`,
    description: `Also ${PLANT_RU}, ${PLANT_GR} and ${PLANT_JP}.`,
    type: "normal",
    area: "barcode",
    plants: ["chicago"],
    environment: "qa",
    requester: { name: REQUESTER, email: "antonin.dvorak@plant.example" },
    implementer: { name: IMPLEMENTER, email: "huong.nguyen@plant.example" },
    window: { start: "2026-12-05T08:00:00Z", end: "2026-12-05T10:00:00Z" },
  });
  changeId = change.id;
});
afterAll(() => cleanup());

describe("report PDFs print names in any European script and in CJK", () => {
  it("prints a change record's title, plants and people exactly as entered", async () => {
    const file = await call("report.changePdf", { changeId });
    const text = textOf(file, "change.pdf");
    for (const name of [PLANT_PL, PLANT_TR, PLANT_RU, PLANT_GR, PLANT_JP, REQUESTER, IMPLEMENTER]) {
      expect(text).toContain(name);
    }
    expect(text).toContain(`Label printers for ${PLANT_PL} and ${PLANT_TR}`);
    expect(text).not.toContain("?");
    // Embedded as subsets: the whole CJK font is megabytes, the PDF stays small.
    expect(fontsOf(file, "change.pdf")).toMatch(/\+NotoSansHans-Regular .* yes yes yes/);
    expect(file.size).toBeLessThan(150_000);
    // The second PDF reuses the fonts the first one parsed, and comes out byte for byte the same.
    expect((await call("report.changePdf", { changeId })).sha256).toBe(file.sha256);
  });

  it("prints approvers' signed names in Czech, Greek, Cyrillic, Vietnamese and Japanese", async () => {
    const change = await call("change.get", { id: changeId });
    const approvers = [
      ["Jiří Dvořák", "jiri.dvorak@plant.example"],
      ["Ελένη Παπαδοπούλου", "eleni.papadopoulou@plant.example"],
      ["Сергей Иванов", "sergei.ivanov@plant.example"],
      ["Trần Văn Đức", "duc.tran@plant.example"],
      ["Lê Thị Ngọc Ánh", "anh.le@plant.example"],
      ["山田 太郎", "taro.yamada@plant.example"],
    ] as const;
    // "Ngọc" and "Thị" come first: their letters must not make a later plain "o" or "i" read back wrong.
    const title = "Ngọc Thị: printers in Dĩ An";
    const file = await changePdf(
      {
        change: { ...change, title },
        approvals: approvers.map(([name, email]) => approval(changeId, name, email)),
        quorum: "met",
        audit: [],
        timeZone: "Europe/Warsaw",
      },
      new Date("2026-12-01T10:00:00Z"),
      reportFonts(),
    );
    const text = textOf(file, "approvals.pdf");
    for (const [name, email] of approvers) expect(text).toContain(`Signed by ${name} <${email}>`);
    expect(text).toContain(`Meaning: Approved for ${PLANT_PL}`);
    expect(text).toContain(title);
    expect(text).toContain("Rollback plan");
    expect(text).toContain("Validation gates");
    expect(text).not.toContain("?");
  });

  it("prints a character no embedded font has as its code point, never as a bare question mark", async () => {
    const change = await call("change.get", { id: changeId });
    const file = await changePdf(
      {
        change,
        approvals: [approval(changeId, "김민준 (Kim Min-jun)", "minjun.kim@plant.example")],
        quorum: null,
        audit: [],
        timeZone: "Asia/Seoul",
      },
      new Date("2026-12-01T10:00:00Z"),
      reportFonts(),
    );
    const text = textOf(file, "marker.pdf");
    expect(text).toContain("Signed by [U+AE40 U+BBFC U+C900] (Kim Min-jun) <minjun.kim@plant.example>");
    expect(text).not.toContain("?");
  });

  it("prints the minutes of a meeting titled in Polish and Japanese", async () => {
    const meeting = await call("meeting.start", {
      title: `CAB ${PLANT_PL} / ${PLANT_JP}`,
      attendees: ["sofia.rossi@plant.example"],
    });
    const file = await call("report.minutesPdf", { meetingId: meeting.id });
    const text = textOf(file, "minutes.pdf");
    expect(text).toContain(`Minutes: CAB ${PLANT_PL} / ${PLANT_JP}`);
    expect(text).not.toContain("?");
    await call("meeting.end", { id: meeting.id });
  });
});
