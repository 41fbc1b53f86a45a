import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../../../electron/core/core";
import type { MethodInput, MethodName, MethodOutput } from "../../../../../shared/contract/index";
import { tempCore } from "../../../../helpers/temp";

let core: Core;
let dir: string;
let cleanup: () => void;

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.call(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

beforeAll(async () => {
  ({ core, dir, cleanup } = await tempCore());
});
afterAll(() => cleanup());

describe("a printed change record reads its window in plant time with UTC beside it", () => {
  it("prints a Pune and Berlin window on each plant's clocks, with zone abbreviation, offset and UTC", async () => {
    const change = await call("change.create", {
      title: "Spindle monitoring add-on",
      type: "normal",
      area: "quality",
      plants: ["pune", "berlin"],
      environment: "qa",
      requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
      window: { start: "2026-12-06T20:00:00Z", end: "2026-12-07T00:00:00Z" },
    });
    const file = await call("report.changePdf", { changeId: change.id });
    const pdf = join(dir, "change.pdf");
    writeFileSync(pdf, Buffer.from(file.contentBase64, "base64"));
    const text = execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    // Monday 01:30 in Pune, not Sunday evening in the printing laptop's zone.
    expect(text).toContain("pune: Mon 07 Dec 2026, 01:30 to 05:30 IST (UTC+05:30)");
    expect(text).toContain("berlin: Sun 06 Dec 2026, 21:00 to Mon 07 Dec 2026, 01:00 CET (UTC+01:00)");
    expect(text).toContain("[UTC: Sun 06 Dec 2026, 20:00 to 00:00 UTC]");
  });
});
