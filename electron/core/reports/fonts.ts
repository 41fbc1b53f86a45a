import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { AppError } from "../../../shared/contract/index";

// Which font prints which character. The standard PDF fonts only carry WinAnsi, so names such as
// "Dvořák", "Пермь" or "名古屋工場" need embedded fonts: Noto Sans for Latin, Greek and Cyrillic, and
// Noto Sans CJK (Simplified Chinese, which also covers Traditional hanzi and Japanese kana and kanji)
// for what Noto Sans lacks. A character neither has prints as its code point, so nothing is lost silently.

export type FontWeight = "regular" | "bold";
/** "missing" runs print their code points as a marker in the text face. */
type FontFace = "text" | "cjk" | "missing";

/** The font files the reports embed, by face and weight. */
interface ReportFontFiles {
  readonly text: Readonly<Record<FontWeight, string>>;
  readonly cjk: Readonly<Record<FontWeight, string>>;
}

/** A stretch of text printed in one face. */
interface TextRun {
  readonly face: FontFace;
  readonly text: string;
}

const resolveFrom = createRequire(import.meta.url);

function packageFonts(pkg: string, regular: string, bold: string): Readonly<Record<FontWeight, string>> {
  const missing = (what: string) =>
    new AppError("internal", `The report font ${what} is missing, so no PDF can be printed: reinstall Shiftgate.`);
  let entry: string;
  try {
    // The packages export only their index module (dist/), not the font files: those sit in fonts/ beside it.
    // Resolving through node_modules finds them from the sources, in tests and inside the packaged app.asar.
    entry = resolveFrom.resolve(pkg);
  } catch {
    throw missing(`package ${pkg}`);
  }
  const dir = join(dirname(entry), "..", "fonts");
  const files = { regular: join(dir, regular), bold: join(dir, bold) };
  for (const file of Object.values(files)) if (!existsSync(file)) throw missing(file);
  return files;
}

/** The report fonts' files, found in the font packages installed with the app. */
export function reportFontFiles(): ReportFontFiles {
  return {
    text: packageFonts("@embedpdf/fonts-latin", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    cjk: packageFonts("@embedpdf/fonts-sc", "NotoSansHans-Regular.otf", "NotoSansHans-Bold.otf"),
  };
}

/** The report fonts of one core: their files, found on first use, and each font parsed once for every PDF. */
export interface ReportFonts {
  files(): ReportFontFiles;
  /** Fonts as pdfkit parsed them, by file: pdfkit takes them back in place of the file. */
  readonly parsed: Map<string, object>;
}

/** A core's report fonts; nothing is read until the first PDF. */
export function reportFonts(): ReportFonts {
  let files: ReportFontFiles | null = null;
  return { files: () => (files ??= reportFontFiles()), parsed: new Map() };
}

/** "[U+AE40 U+BBFC]": what prints for characters no embedded font has, visible and still exact. */
export function missingMarker(codePoints: readonly number[]): string {
  return `[${codePoints.map((c) => `U+${c.toString(16).toUpperCase().padStart(4, "0")}`).join(" ")}]`;
}

function isVariationSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/**
 * Splits text into runs by the first face that has each character (text, then CJK); whitespace stays in
 * the run it is in so a CJK name keeps its spaces, and characters no face has become a marker run.
 */
export function textRuns(text: string, covers: (face: "text" | "cjk", codePoint: number) => boolean): TextRun[] {
  const runs: { face: FontFace; chars: string[]; missing: number[] }[] = [];
  // Precomposed letters print better than a base letter with a combining mark placed on it.
  for (const ch of text.normalize("NFC")) {
    const cp = ch.codePointAt(0) ?? 0;
    // A variation selector only picks a glyph variant; the base character already says what is meant.
    if (isVariationSelector(cp)) continue;
    const last = runs.at(-1);
    const face: FontFace = /\s/.test(ch)
      ? last && last.face !== "missing"
        ? last.face
        : "text"
      : covers("text", cp)
        ? "text"
        : covers("cjk", cp)
          ? "cjk"
          : "missing";
    const run = last?.face === face ? last : { face, chars: [], missing: [] };
    if (run !== last) runs.push(run);
    if (face === "missing") run.missing.push(cp);
    else run.chars.push(ch);
  }
  if (runs.length === 0) return [{ face: "text", text: "" }];
  return runs.map((r) => ({ face: r.face, text: r.face === "missing" ? missingMarker(r.missing) : r.chars.join("") }));
}
