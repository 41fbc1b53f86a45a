#!/usr/bin/env node
// `npm run bench [-- NAME...]`: runs test/bench/*.bench.ts (or those whose name contains NAME) and writes
// test/bench/results.json: [{name, value, unit, baseline, ratio}], each figure beside its same-run baseline.
import { readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

register();
const benchDir = fileURLToPath(new URL("../../test/bench/", import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((n) => f.includes(n)))
  .sort();
if (files.length === 0) {
  console.error(`npm run bench: no benchmark matches ${filters.join(" ")}`);
  process.exit(2);
}
const results = [];
for (const file of files) {
  console.log(`\n== ${file}`);
  const mod = await import(pathToFileURL(benchDir + file).href);
  await mod.run((r) => {
    results.push(r);
    const target = r.target ? `  [target ${r.target}]` : "";
    console.log(
      `${r.name.padEnd(58)} ${String(r.value).padStart(12)} ${r.unit.padEnd(8)} baseline ${String(r.baseline).padStart(12)}  ratio ${r.ratio}${target}`,
    );
  });
}
writeFileSync(new URL("../../test/bench/results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${results.length} figures written to test/bench/results.json`);
