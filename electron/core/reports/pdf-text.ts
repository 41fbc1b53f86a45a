import { AppError } from "../../../shared/contract/index";
import { type FontWeight, type ReportFonts, textRuns } from "./fonts";

/** How a piece of report text looks; the font is chosen per run of text from the weight. */
interface TextStyle {
  readonly weight: FontWeight;
  readonly size: number;
  readonly color: string;
}

/** Prints text at the cursor, or at `at`, in fonts that have its characters. */
type TextPrinter = (
  text: string,
  style: TextStyle,
  options: PDFKit.Mixins.TextOptions,
  at?: readonly [number, number],
) => void;

/** pdfkit names of the registered fonts; layouts select the text face before measuring line heights. */
export const FONT_NAMES: Readonly<Record<"text" | "cjk", Readonly<Record<FontWeight, string>>>> = {
  text: { regular: "Text", bold: "Text-Bold" },
  cjk: { regular: "Cjk", bold: "Cjk-Bold" },
};

// Code points no embedded font has: red, so a reader sees at once that the marker is not the text.
const MISSING = "#b00020";

// Noto Sans' ccmp feature splits ẹ ị ọ ụ into a base letter and a dot below although it has them precomposed,
// and pdfkit maps each glyph back to the first text it printed with it: "Thị" would copy and search as "Thi",
// or a later plain "i" as "ị". pdfkit's types only list features to turn on; fontkit also takes a map to turn
// features off, which pdfkit passes through.
const NO_DECOMPOSITION = { ccmp: false } as unknown as PDFKit.Mixins.TextOptions["features"];

// Explicit features bypass pdfkit's per-word layout cache and make text several times slower to lay out, so
// they are kept to text beyond Latin-1, where those letters are; ccmp changes nothing up to U+00FF.
function beyondLatin1(text: string): boolean {
  for (const ch of text) if ((ch.codePointAt(0) ?? 0) > 0xff) return true;
  return false;
}

interface FontFacts {
  readonly has: (codePoint: number) => boolean;
  /** In thousandths of the font size. */
  readonly ascender: number;
  /** The parsed font, to hand to the next document. */
  readonly parsed: object;
}

// pdfkit has no public glyph coverage or ascender query, but the font it selects wraps the fontkit font,
// which has both; pdfkit is pinned, and a change there fails loudly here rather than printing wrong text.
function fontFacts(doc: PDFKit.PDFDocument, name: string): FontFacts {
  doc.font(name);
  const embedded = (doc as unknown as { _font?: { ascender?: unknown; font?: { hasGlyphForCodePoint?: unknown } } })
    ._font;
  const font = embedded?.font;
  const has = font?.hasGlyphForCodePoint;
  const ascender = embedded?.ascender;
  if (!font || typeof has !== "function" || typeof ascender !== "number") {
    throw new AppError("internal", "pdfkit no longer exposes its fonts' glyph coverage: reports cannot choose fonts.");
  }
  return { has: (codePoint) => has.call(font, codePoint) === true, ascender, parsed: font };
}

/** Registers the embedded fonts and returns a printer that picks, per run of text, a font that has its glyphs. */
export function textPrinter(doc: PDFKit.PDFDocument, fonts: ReportFonts): TextPrinter {
  const files = fonts.files();
  const fileOf = new Map<string, string>();
  for (const face of ["text", "cjk"] as const) {
    for (const weight of ["regular", "bold"] as const) {
      const file = files[face][weight];
      fileOf.set(FONT_NAMES[face][weight], file);
      // pdfkit also takes an already parsed font, though its types do not say so. Parsing a font and its
      // layout tables costs about 100 ms per font and document; kept per core, it is paid once.
      const parsed = fonts.parsed.get(file) as PDFKit.Mixins.PDFFontSource | undefined;
      doc.registerFont(FONT_NAMES[face][weight], parsed ?? file);
    }
  }
  // Opened on first need: a report without CJK text never reads the large CJK font.
  const known = new Map<string, FontFacts>();
  const facts = (name: string) => {
    let f = known.get(name);
    if (!f) {
      f = fontFacts(doc, name);
      known.set(name, f);
      const file = fileOf.get(name);
      if (file) fonts.parsed.set(file, f.parsed);
    }
    return f;
  };
  return (text, style, options, at) => {
    const runs = textRuns(text, (face, cp) => facts(FONT_NAMES[face][style.weight]).has(cp));
    // pdfkit puts each fragment's baseline one ascender of its own font below the line top; the CJK font's is
    // shorter, so its runs would sit higher than the Latin text beside them. All runs use the text face's.
    const baseline = -(facts(FONT_NAMES.text[style.weight]).ascender * style.size) / 1000;
    runs.forEach((run, i) => {
      const face = run.face === "missing" ? "text" : run.face;
      doc
        .font(FONT_NAMES[face][style.weight])
        .fontSize(style.size)
        .fillColor(run.face === "missing" ? MISSING : style.color);
      // pdfkit lays continued fragments out as one paragraph, wrapping across the font changes.
      const opts = {
        ...options,
        baseline,
        continued: i < runs.length - 1,
        features: face === "text" && beyondLatin1(run.text) ? NO_DECOMPOSITION : undefined,
      };
      if (i === 0 && at) doc.text(run.text, at[0], at[1], opts);
      else doc.text(run.text, opts);
    });
    // Spacing after the text (moveDown) then follows the text face, whatever script the text ended in.
    doc.font(FONT_NAMES.text[style.weight]);
  };
}
