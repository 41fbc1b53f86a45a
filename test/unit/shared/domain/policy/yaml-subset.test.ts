import { readdirSync, readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { demoPolicy } from "../../../../../electron/core/gitops/demo-policy";
import {
  writeApproval,
  writeChange,
  writeException,
  writeGateRecord,
  writePolicy,
  writeReview,
} from "../../../../../shared/domain/policy/index";
import { readYamlSubset } from "../../../../../shared/domain/policy/yaml-subset";
import { testChange } from "../../../../helpers/gitops-world";

const fixtures = new URL("../../../../fixtures/policy/", import.meta.url);
const person = { name: "Ana Ortiz", email: "ana.ortiz@plant.example" };

/** What the library gives for a text it reads without errors; undefined when it reports one. */
function library(text: string): { readonly value: unknown } | undefined {
  const doc = parseDocument(text, { uniqueKeys: true });
  return doc.errors.length > 0 ? undefined : { value: doc.toJS() };
}

// Files as Shiftgate's writers produce them, and hand-written ones (fixtures, the demo repository's gate records).
const written: readonly string[] = [
  writeChange(
    testChange("CHG-2026-0042", { rollback: "Revert the image tag; restore the snapshot: if a migration ran" }),
  ),
  writeApproval({
    change: "CHG-2026-0042",
    scope: "deploy",
    decision: "approved",
    meaning: "Approved for production release",
    signer: { ...person, role: "cab-member" },
    signedAt: "2026-12-01T09:00:00Z",
    changeDigest: `sha256:${"ab".repeat(32)}`,
  }),
  writeException({
    change: "CHG-2026-0042",
    justification: "Line 3 stopped: label printer driver crashes on every print job",
    incident: "INC-7781",
    breakGlass: { start: "2026-12-01T09:00:00Z", end: "2026-12-01T11:00:00Z" },
    loggedBy: { ...person, role: "it-manager" },
    loggedAt: "2026-12-01T09:00:00Z",
  }),
  writeReview({
    change: "CHG-2026-0042",
    outcome: "accepted",
    notes: "It's fine: the fix held over two shifts, #7 closed",
    reviewer: { ...person, role: "cab-member" },
    reviewedAt: "2026-12-03T09:00:00Z",
  }),
  writeGateRecord({
    change: "CHG-2026-0042",
    stage: "preproduction",
    gate: "interface-health",
    result: "pass",
    recordedBy: { ...person, role: "plant-ops-leader" },
    recordedAt: "2026-11-21T22:00:00Z",
    measurements: [
      { name: "error-rate", value: 0.3, unit: "%", target: { op: "<=", value: 0.5 }, ok: true },
      { name: "entries", value: 66, target: { op: "==", value: 0 }, ok: false },
    ],
    evidence: [{ filename: "interface-health.log", sha256: "6".repeat(64), size: 95, location: "repo" }],
  }),
  writePolicy(demoPolicy()),
];

const handWritten: readonly string[] = [
  ...readdirSync(fixtures).map((f) => readFileSync(new URL(f, fixtures), "utf8")),
  [
    "change: CHG-2026-0001",
    "measurements:",
    '  - { name: error-rate, value: 0.3, unit: "%", target: { op: <=, value: 0.5 }, ok: true }',
    "  - { name: n, value: -7, big: 12345678901234567890, hex: 0x1F, oct: 0o17, exp: 1e3, dot: .5, inf: -.inf }",
    "flags: [ true, False, ~, null, NULL, 'it''s', \"plain\", 1.50, +3, 2026-11-24, a:b, http://x/y ]",
    "nested:",
    "  - name: first",
    "    roles: [[a, b], [c]]",
    "    empty: {}",
    "  -   name: wide",
    "      list:",
    "        - one",
    "        - two three",
    "none:",
    "after: value with commas, [brackets], {braces} and a:colon",
    "",
  ].join("\n"),
];

// Seeded, so a failure names a mutant that reproduces.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  " ",
  "  ",
  "#",
  " #",
  ":",
  ": ",
  "-",
  "- ",
  "'",
  '"',
  "[",
  "]",
  "{",
  "}",
  ",",
  "\t",
  "\n",
  "\r",
  "&a ",
  "*a",
  "!x ",
  "? ",
  "|",
  ">",
  "~",
  "null",
  "True",
  "1",
  "-1",
  ".5",
  "0x1F",
  "0o7",
  "1e3",
  ".nan",
  "\\",
  "---\n",
  "...",
  "%YAML 1.2\n",
  "key: ",
  "__proto__: ",
  "<<: ",
  "\ufeff",
  "\u00a0",
  " \u00a0",
  "\u2028",
  "\u3000",
  "é",
  "😀",
  "\u0085",
  "a: 1\n",
];

function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const lines = text.split("\n");
  const line = Math.floor(next() * lines.length);
  switch (Math.floor(next() * 5)) {
    case 0:
      return text.slice(0, at) + TOKENS[Math.floor(next() * TOKENS.length)] + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 4));
    case 2:
      return [...lines.slice(0, line + 1), lines[line] ?? "", ...lines.slice(line + 1)].join("\n");
    case 3:
      return lines.map((l, i) => (i === line ? ` ${l}` : l)).join("\n");
    default:
      return lines.map((l, i) => (i === line ? l.replace(/^ /, "") : l)).join("\n");
  }
}

describe("the YAML subset reader", () => {
  it("reads every file Shiftgate's writers produce, and the hand-written ones, as the YAML library does", () => {
    for (const text of [...written, ...handWritten]) {
      const expected = library(text);
      const fast = readYamlSubset(text);
      if (written.includes(text)) expect(fast, text).toBeDefined(); // the fast path is the one verify takes
      if (fast) expect(isDeepStrictEqual(fast.value, expected?.value), text).toBe(true);
    }
    expect(readYamlSubset(handWritten[handWritten.length - 1] ?? "")).toBeDefined();
  });

  it("gives up on what it does not read whole: duplicate keys, aliases, tags, comments after values, multi-line scalars, tabs", () => {
    for (const text of [
      "a: 1\na: 2\n",
      "a: { b: 1, b: 2 }\n",
      "a: &x 1\nb: *x\n",
      "a: !!str 1\n",
      "a: 1 # one\n",
      "a: first\n  continued\n",
      "a:\n\tb: 1\n",
      "a: |\n  text\n",
      "a: [1, 2,]\n",
      '"a": 1\n',
      "- a\n- b\n",
      "a:\n- b\n",
      "a: b: c\n",
      "__proto__: 1\n",
    ])
      expect(readYamlSubset(text), text).toBeUndefined();
  });

  it("takes only spaces for indentation and blank lines (U+00A0, U+2028, U+3000 are content to YAML)", () => {
    for (const ws of ["\u00a0", "\u2028", "\u3000"])
      for (const text of [`a: ${ws}\n`, `a: x${ws}\n`, `${ws}a: 1\n`, `a: 1\n${ws}\nb: 2\n`, `a:\n ${ws}b: 1\n`]) {
        const fast = readYamlSubset(text);
        if (fast) expect({ text, value: fast.value }).toEqual({ text, value: library(text)?.value ?? "a YAML error" });
      }
  });

  it("never disagrees with the library on mutated files: each one it reads, the library reads without errors and to the same value", () => {
    const next = random(20_261_205);
    let read = 0;
    let mutants = 0;
    for (const original of [...written, ...handWritten]) {
      let text = original;
      for (let i = 0; i < 400; i++) {
        text = i % 8 === 0 ? mutate(original, next) : mutate(text, next);
        mutants++;
        const fast = readYamlSubset(text);
        if (!fast) continue;
        read++;
        const expected = library(text);
        if (!expected || !isDeepStrictEqual(fast.value, expected.value))
          expect({ text, fast: fast.value }).toEqual({ text, fast: expected?.value ?? "a YAML error" });
      }
    }
    // The comparison means something only if many mutants stay inside the subset.
    expect(read).toBeGreaterThan(mutants / 10);
  });
});
