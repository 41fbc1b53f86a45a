#!/usr/bin/env node
// `npm run test:security`: electronegativity over electron/, twice: with the installed Electron's defaults, and
// with the oldest defaults (what the bare CLI assumes when it cannot tell the version, as over electron/ alone).
// It fails on any CRITICAL, HIGH or MEDIUM finding, on any file the scanner could not parse, and on any
// `eng-disable` line that build/security-review.json does not justify (or a review whose line is gone).
// Arguments (for tests): [folder to scan] [review file].
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register();
const { BLOCKING_SEVERITIES, findSuppressions, judge, parseReviews, passes, toFindings } = await import(
  "../security/gate.ts"
);
const root = fileURLToPath(new URL("../..", import.meta.url));
const input = resolve(process.argv[2] ?? join(root, "electron"));
const reviewFile = resolve(process.argv[3] ?? join(root, "build/security-review.json"));
const require = createRequire(import.meta.url);
const scan = require("@doyensec/electronegativity");
const electronVersion = JSON.parse(readFileSync(join(root, "node_modules/electron/package.json"), "utf8")).version;

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sources(path);
    return /\.(jsx?|tsx?|html?)$/.test(e.name)
      ? [{ file: relative(input, path), text: readFileSync(path, "utf8") }]
      : [];
  });
}

async function run(version) {
  const result = await scan(
    {
      input,
      isSarif: false,
      customScan: [],
      // The security-fixes check downloads Electron's release list; there is no network here, and the
      // pinned version is kept current through package.json instead.
      excludeFromScan: ["availablesecurityfixesglobalcheck"],
      isRelative: true,
      isVerbose: false,
      electronVersionOverride: version,
      parserPlugins: [],
    },
    false,
  );
  if (result.errors.length > 0)
    throw new Error(
      `electronegativity could not read ${result.errors.length} file(s), so they went unscanned: ${result.errors
        .map((e) => `${relative(input, String(e.file))}: ${e.message ?? e.error ?? "parse error"}`)
        .join("; ")}`,
    );
  return toFindings(result.issues);
}

try {
  const reviews = parseReviews(JSON.parse(readFileSync(reviewFile, "utf8")));
  const suppressions = findSuppressions(sources(input));
  let ok = true;
  for (const [label, version] of [
    [`Electron ${electronVersion}`, electronVersion],
    ["version unknown, oldest defaults", undefined],
  ]) {
    const findings = await run(version);
    const j = judge(findings, suppressions, reviews);
    console.log(`electronegativity over ${relative(root, input) || "."}/ (${label}): ${findings.length} finding(s)`);
    for (const f of findings)
      console.log(
        `  ${BLOCKING_SEVERITIES.includes(f.severity) ? "BLOCKING" : "below   "}  ${f.severity} ${f.check} ${f.file}:${f.line} ${f.description}`,
      );
    for (const { suppression: s, reason } of j.accepted)
      console.log(`  reviewed  ${s.check} ${s.file}:${s.line}: ${reason}`);
    for (const s of j.unreviewed)
      console.log(
        `  BLOCKING  ${s.check} ${s.file}:${s.line} is disabled ${s.fileWide ? "for the whole file" : "on this line"} without a review in build/security-review.json\n            ${s.sample}`,
      );
    for (const r of j.stale)
      console.log(`  BLOCKING  review of ${r.check} ${r.file} names a line no longer there: ${r.sample}`);
    ok &&= passes(j);
  }
  if (!ok) {
    console.error("security gate: failed (see BLOCKING above)");
    process.exit(1);
  }
  console.log("security gate: passed");
} catch (error) {
  console.error(`security gate: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
