import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { sourceFiles, unusedExports } from "../helpers/unused-exports";

// Issue #20: an exported function that nothing outside the tests calls is a second way of doing something, one the
// app never runs (the old GitOps write path beside the outbox was one). Every export in electron/, shared/ and
// renderer/ needs an importer in production code; what only tests need lives under test/helpers.

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Entry points: loaded by a bundler, Electron or Node, not imported by another source. */
const ENTRIES = new Set([
  "electron/shell/main.ts", // Electron's main bundle (electron.vite.config.ts)
  "electron/shell/preload.ts", // the preload bundle (electron.vite.config.ts)
  "electron/cli/entry.ts", // the CLI bundle (electron.vite.config.ts), run by bin/shiftgate.mjs
  "renderer/main.tsx", // renderer/index.html's module script
]);

/**
 * Test seams: exports that tests import and production does not (it uses them inside their own file). Each is a
 * test reaching past the contract into a module, known when this check was written (issue #20): shrink this list by
 * testing through the contract or moving the piece under test/helpers; never grow it. A seam that production starts
 * to import, or that goes away, must leave the list (the test says so).
 */
const TEST_SEAMS = new Set<string>([
  // Types the tests name (result shapes, options, fixtures' own types).
  "electron/core/identity/identity-proof.ts: ChallengeSigner",
  "electron/core/core.ts: CoreOptions",
  "electron/core/gitops/connect.ts: Connection",
  "electron/core/gitops/keys.ts: SshKeyPair",
  "electron/core/gitops/outbox.ts: Committed",
  "electron/core/gitops/outbox.ts: Recorded",
  "electron/core/gitops/republish.ts: RepublishOutcome",
  "electron/core/odoo/client.ts: OdooApi",
  "electron/shell/csp.ts: HeadersAnswer",
  "electron/shell/notify-plan.ts: NotifiableItem",
  "electron/web/server.ts: WebServer",
  "electron/web/server.ts: WebServerOptions",
  "renderer/features/calendar/conflict-text.ts: ConflictLine",
  "shared/contract/index.ts: Methods",
  "shared/contract/methods/calendar.ts: ExpandResult",
  "shared/contract/methods/gitops.ts: GitopsConnectResult",
  "shared/contract/methods/gitops.ts: GitopsPolicyView",
  "shared/contract/methods/gitops.ts: GitopsVerifyResult",
  "shared/domain/policy/schemas.ts: Risk",
  "shared/domain/register/lifecycle.ts: LifecycleView",
  // Pure parts a unit test checks directly (a unit test mirrors the tree).
  "renderer/features/calendar/calendar-model.ts: MAX_ROWS",
  "electron/core/cluster/sync-windows.ts: isWindowActive",
  "electron/core/gitops/git-errors.ts: classifyGitFailure",
  "electron/core/reports/fonts.ts: missingMarker",
  "electron/core/reports/fonts.ts: reportFontFiles",
  "electron/shell/notify-plan.ts: safeRoute",
  "electron/shell/window-state.ts: DEFAULT_WINDOW_STATE",
  "renderer/features/calendar/calendar-model.ts: crewOf",
  "renderer/features/cluster/cluster-format.ts: retryLabel",
  "renderer/features/meeting/core-clock.ts: coreNow",
  "renderer/features/register/change-form-model.ts: fieldOfPath",
  "renderer/features/register/change-form-model.ts: localToRfc3339",
  "renderer/features/register/change-form-model.ts: rfc3339ToLocal",
  "renderer/features/register/list-columns.ts: hiddenFromStored",
  "renderer/features/register/list-csv.ts: csvCell",
  "shared/domain/calendar/expand.ts: MAX_EXPANSION_INSTANCES",
  "shared/domain/calendar/plant-time.ts: offsetText",
  "shared/domain/calendar/plant-time.ts: zoneLabel",
  "shared/domain/calendar/sync-windows.ts: perInstanceHorizon",
  "shared/domain/calendar/windows-zones.ts: WINDOWS_ZONES",
  "shared/domain/policy/gate-rules.ts: DEFAULT_GATE_NAMES",
  "shared/domain/policy/glob.ts: matchesGlob",
  "shared/domain/register/rollback.ts: rollbackBlockers",
  // Knobs, judges and test infrastructure the integration tests and benches reach (keys, clocks, servers).
  "electron/core/gitops/auto-sync.ts: AUTO_SYNC_EVERY_MS",
  "electron/core/gitops/republish.ts: REPUBLISH_EVERY_MS",
  "electron/core/identity/identity-proof.ts: PROOF_NAMESPACE",
  "electron/core/identity/ssh-key.ts: SIGNATURE_NAMESPACE",
  "electron/core/cluster/read.ts: settle",
  "electron/core/cluster/release-judge.ts: judgeRelease",
  "electron/core/cluster/verified-copy.ts: unauthorises",
  "electron/core/gitops/auto-sync.ts: FOCUS_GAP_MS",
  "electron/core/gitops/connect.ts: pendingConnection",
  "electron/core/gitops/first-run.ts: ensureDemoGitops",
  "electron/core/gitops/keys.ts: generateSshKey",
  "electron/core/gitops/outbox.ts: backoff",
  "electron/core/gitops/release-intent.ts: RELEASE_MANAGER",
  "electron/core/gitops/sync.ts: releasedNumbers",
  "electron/core/odoo/check-schedule.ts: SCHEDULE_POLL_MS",
  "electron/core/odoo/release-odoo.ts: intendedSeries",
  "electron/core/odoo/release-odoo.ts: judgeOdooRelease",
  "electron/core/register/audit-anchors.ts: registerId",
  "electron/core/register/audit.ts: AUDIT_CANONICAL",
  "electron/core/register/audit.ts: sha256Hex",
  "electron/core/register/change-rows.ts: fieldColumns",
  "electron/core/register/permissions.ts: refusal",
  "electron/core/register/plant-check.ts: plantsOf",
  "electron/core/reports/figures.ts: leadTime",
  "electron/web/server.ts: MAX_BODY",
  "renderer/features/register/plant-picker.tsx: plantIds",
  "shared/contract/bounds.ts: forbiddenCharacter",
  "shared/domain/calendar/conflicts.ts: compareConflicts",
]);

describe("exports", () => {
  it("every export in electron/, shared/ and renderer/ has an importer outside test/", () => {
    const files = ["electron", "shared", "renderer"].flatMap((dir) => sourceFiles(root, dir));
    const unused = unusedExports({
      root,
      files,
      entries: ENTRIES,
      consumers: ["electron.vite.config.ts"],
      typeRoots: [join(root, "node_modules/@types")],
    });
    expect(unused.filter((name) => !TEST_SEAMS.has(name))).toEqual([]);
    // A seam that production now imports, or that is gone, leaves the list.
    expect([...TEST_SEAMS].filter((name) => !unused.includes(name))).toEqual([]);
  }, 180_000);

  describe("the check itself", () => {
    const dir = mkdtempSync(join(tmpdir(), "sg-exports-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (path: string, text: string) => {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    };

    it("names an export only a test imports or only its own file uses; passes one reached through a barrel, a namespace or a dynamic import", () => {
      write("src/lib.ts", "export function used() { return 1; }\nexport function onlyTests() { return used(); }\n");
      write(
        "src/types.ts",
        "export interface Shape { readonly n: number }\nexport type Local = 1;\nexport const l: Local = 1;\nconsole.log(l);\n",
      );
      write(
        "src/index.ts",
        'export { used } from "./lib";\nexport type { Shape } from "./types";\nexport const x = 2;\n',
      );
      write("src/lazy.ts", "export function Page() { return 0; }\n");
      write(
        "src/main.ts",
        'import * as api from "./index";\nconst s: api.Shape = { n: api.used() };\nvoid import("./lazy");\n',
      );
      write("test/lib.test.ts", 'import { onlyTests } from "../src/lib";\nonlyTests();\n');
      const files = ["src/lib.ts", "src/types.ts", "src/index.ts", "src/lazy.ts", "src/main.ts"];
      expect(unusedExports({ root: dir, files, entries: new Set(["src/main.ts"]) })).toEqual([
        "src/index.ts: x",
        "src/lib.ts: onlyTests",
        "src/types.ts: Local",
        "src/types.ts: l",
      ]);
    });
  });
});
