import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { missingMarker, reportFontFiles, textRuns } from "../../../../../electron/core/reports/fonts";

// A stand-in coverage: the text face has Latin and Cyrillic, the CJK face has CJK ideographs and kana.
function covers(face: "text" | "cjk", cp: number): boolean {
  if (face === "text") return cp < 0x0530;
  return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x4e00 && cp <= 0x9fff);
}

describe("textRuns", () => {
  it("keeps text a face has in one run and switches face where it must", () => {
    expect(textRuns("Nagoya 名古屋工場 / Пермь", covers)).toEqual([
      { face: "text", text: "Nagoya " },
      { face: "cjk", text: "名古屋工場 " },
      { face: "text", text: "/ Пермь" },
    ]);
  });

  it("keeps the space inside a CJK name in its run", () => {
    expect(textRuns("山田 太郎", covers)).toEqual([{ face: "cjk", text: "山田 太郎" }]);
  });

  it("prints characters no face has as their code points", () => {
    expect(textRuns("김민준 (Kim)", covers)).toEqual([
      { face: "missing", text: "[U+AE40 U+BBFC U+C900]" },
      { face: "text", text: " (Kim)" },
    ]);
    expect(missingMarker([0x1f600])).toBe("[U+1F600]");
  });

  it("composes decomposed letters and drops variation selectors", () => {
    expect(textRuns("Dvor\u030cák", covers)).toEqual([{ face: "text", text: "Dvořák" }]);
    expect(textRuns("葛\u{e0100}飾", covers)).toEqual([{ face: "cjk", text: "葛飾" }]);
  });

  it("returns one empty run for empty text, so layouts still advance", () => {
    expect(textRuns("", covers)).toEqual([{ face: "text", text: "" }]);
  });
});

describe("reportFontFiles", () => {
  it("finds the regular and bold files of both faces in the installed font packages", () => {
    const files = reportFontFiles();
    for (const file of [files.text.regular, files.text.bold, files.cjk.regular, files.cjk.bold]) {
      expect(existsSync(file)).toBe(true);
    }
  });
});
