import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { actAs } from "./core-setup";
import { expect, test } from "./fixtures";

// Issue #17 item 1 in the browser: the laptop starts on the embedded demo, looks at the plant's repository (a bare
// repository reached by file://), sees its trust root, joins, and after a restart works on that repository.
test.use({ webAppEnv: { SHIFTGATE_CLOCK: "2026-12-01T08:00:00Z" } });

test("join the plant's repository from the GitOps page: errors, trust root, restart, sync", async ({
  page,
  webApp,
  core,
}) => {
  test.setTimeout(180_000);
  // The plant's repository: a full copy of a demo remote, served by file://.
  const demo = await core.call<{ remote: string }>("gitops.createDemo", {});
  const plantDir = mkdtempSync(join(tmpdir(), "shiftgate-e2e-plant-"));
  const plant = join(plantDir, "plant.git");
  execFileSync("git", ["clone", "--quiet", "--bare", demo.remote, plant], {
    env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
  });
  try {
    // First run: the demo, or the plant's repository.
    await page.goto(webApp.url);
    await expect(page.getByTestId("first-run-choice")).toContainText("embedded demo");
    await page.getByTestId("first-run-join").click();
    await expect(page.getByTestId("connect-current")).toContainText("embedded demo");

    // An address with no repository behind it: the core's words, and nothing staged.
    await page.getByTestId("connect-url").fill(`file://${plantDir}/nothing-here.git`);
    await page.getByTestId("connect-look").click();
    await expect(page.getByRole("alert")).toContainText("Cannot reach a Git repository");
    await page.getByTestId("connect-branch").fill("release");
    await page.getByTestId("connect-url").fill(`file://${plant}`);
    await page.getByTestId("connect-look").click();
    await expect(page.getByRole("alert")).toContainText("has no branch 'release'");

    await page.getByTestId("connect-branch").fill("main");
    await page.getByTestId("connect-look").click();
    await expect(page.getByTestId("connect-trust-root")).toHaveText(/^[0-9a-f]{40}$/);
    expect(readdirSync(webApp.dataDir).filter((n) => n.startsWith("gitops."))).toEqual([]);
    // Joining is a person's decision: the window asks for a proved key (here Olivia's, the policy-admin).
    await page.getByTestId("connect-confirm").click();
    await expect(page.getByRole("alert")).toContainText("without a proved key this window may only look");
    await actAs(core, "olivia.brown@plant.example");
    await page.getByTestId("connect-confirm").click();
    await expect(page.getByTestId("connect-restart")).toContainText(`restart Shiftgate to open file://${plant}`);

    // The next start takes the plant's repository; the demo and its register are kept in the archive.
    await webApp.restart({ SHIFTGATE_CLOCK: "2026-12-01T08:00:00Z" });
    expect(existsSync(join(webApp.dataDir, "archive"))).toBe(true);
    await page.goto(webApp.url);
    await expect(page.getByRole("heading", { name: "What needs me now" })).toBeVisible();
    await expect(page.getByTestId("first-run-choice")).toHaveCount(0);
    await page.getByRole("link", { name: "GitOps" }).click();
    await expect(page.getByTestId("connect-current")).toContainText(`follows file://${plant}`);
    await page.getByTestId("outbox-sync").click();
    await expect(page.getByTestId("outbox-sync-result")).toContainText(/imported [1-9]\d* change/);
  } finally {
    rmSync(plantDir, { recursive: true, force: true });
  }
});
