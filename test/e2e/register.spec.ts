import type { Page } from "@playwright/test";
import { actAs, CHANGE_MANAGER, riskAnswers, toAwaitingApproval } from "./core-setup";
import { type CoreApi, expect, keysReady, test, type WebApp } from "./fixtures";

// The design is dark first; the screenshots should show what most plant users see.
test.use({ colorScheme: "dark" });

// The `core` fixture's browser-door calls do the setup and check what the UI did (or did not) save.
async function changeCount(core: CoreApi): Promise<number> {
  const page = await core.call<{ total: number }>("change.list", { pageSize: 1 });
  return page.total;
}

const AREAS = ["mrp", "bom", "warehouse", "quality", "barcode", "procurement", "accounting", "integration"];
const PLANTS = ["berlin", "chicago", "pune"];

// Until the demo register is seeded on first run, give the list something to show around the change under test.
async function ensureBackground(core: CoreApi): Promise<void> {
  // The page acts as the selected key holder: the change-manager raises, assesses and submits (default actions).
  await actAs(core, CHANGE_MANAGER);
  if ((await changeCount(core)) >= 20) return;
  const changes = Array.from({ length: 60 }, (_, i) => ({
    title: `Background change ${i + 1}: ${AREAS[i % AREAS.length]} adjustment`,
    description: "Seeded by the register end-to-end test.",
    // Standard changes come from a template of the catalogue; the background needs none.
    type: i % 9 === 0 ? "emergency" : "normal",
    area: AREAS[i % AREAS.length],
    plants: [PLANTS[i % PLANTS.length]],
    environment: "production",
    requester: { name: "Dana Planner", email: "dana@plant.example" },
    window: {
      start: `2026-12-${String((i % 27) + 1).padStart(2, "0")}T08:00:00+01:00`,
      end: `2026-12-${String((i % 27) + 1).padStart(2, "0")}T12:00:00+01:00`,
    },
  }));
  await core.call("change.createMany", { changes });
}

/**
 * Loads the app. Other engineers' builds rewrite out/renderer in this same tree, so a load that catches it
 * half-written (503, or a page whose script is gone) is tried again rather than failing the test.
 */
async function openApp(page: Page, app: WebApp): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.goto(app.url);
    try {
      await page.getByRole("navigation", { name: "Main" }).waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= 6) throw error;
    }
  }
}

async function openRegister(page: Page, app: WebApp): Promise<void> {
  await openApp(page, app);
  await page.getByRole("link", { name: "Register" }).click();
  await expect(page.getByTestId("register-count")).toHaveText(/\d+ changes?/);
}

async function recordGate(page: Page, gate: string, result: string, extra: { reason?: string } = {}) {
  const form = page.getByTestId("gate-form");
  await form.getByTestId("gate-stage").selectOption("development");
  await form.getByTestId("gate-name").selectOption(gate);
  await form.getByTestId("gate-result").selectOption(result);
  if (extra.reason) await form.getByTestId("gate-reason").fill(extra.reason);
  await form.getByTestId("gate-record-submit").click();
  await expect(page.getByTestId(`gate-development-${gate}`)).toContainText(result);
}

test("a change is created, assessed, gated, found by search and shows its audit timeline", async ({
  page,
  webApp,
  core,
}) => {
  await ensureBackground(core);
  await openRegister(page, webApp);
  await expect(page.getByTestId("change-row").first()).toBeVisible();

  // `n` opens the form from the list.
  await page.getByTestId("register-grid").focus();
  await keysReady(page, "register");
  await page.keyboard.press("n");
  await expect(page).toHaveURL(/#\/register\/new$/);
  await page.getByTestId("input-title").fill("Relabel conveyor pick routes in Berlin");
  await page
    .getByTestId("input-description")
    .fill("Moves the pick route labels to the new quarrelsome conveyor layout.");
  await page.getByTestId("input-type").selectOption("normal");
  await page.getByTestId("input-area").selectOption("warehouse");
  // Plants are picked from the known ones (policy.yaml, else the register's calendar), never typed.
  await expect(page.getByTestId("field-plants").locator("input[type=text], input:not([type])")).toHaveCount(0);
  await expect(page.getByTestId("input-plants").getByRole("checkbox")).toHaveCount(3);
  await expect(page.getByTestId("input-plants")).toContainText("Berlin Assembly");
  await page.getByTestId("input-plant-berlin").check();
  await page.getByTestId("input-plant-pune").check();
  await page.getByTestId("input-environment").selectOption("production");
  // The requester is the key holder (Sofia), filled in from the key and read-only.
  await expect(page.getByTestId("input-requesterEmail")).toHaveValue("sofia.rossi@plant.example");
  await page.getByTestId("input-windowStart").fill("2026-12-05T08:00");
  await page.getByTestId("input-windowEnd").fill("2026-12-05T12:00");
  await page.getByTestId("input-rollbackPlan").fill("Restore the previous route map from the snapshot.");
  await page.getByTestId("change-save").click();

  await expect(page.getByTestId("change-page")).toBeVisible();
  await expect(page.getByTestId("change-title")).toHaveText("Relabel conveyor pick routes in Berlin");
  await expect(page.getByTestId("change-status")).toHaveText("draft");
  await expect(page.getByTestId("change-risk")).toHaveText("unassessed");
  const changeId = await page.getByTestId("change-page").getAttribute("data-change-id");
  expect(changeId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

  // Risk: 3 (production hours) + 2 (rollback not rehearsed) + 2 (MES, WMS) + 1 (two plants) = 8 → high.
  await page.getByTestId("risk-production-hours-yes").check();
  await page.getByTestId("risk-db-migration-no").check();
  await page.getByTestId("risk-tested-preproduction-yes").check();
  await page.getByTestId("risk-rollback-rehearsed-no").check();
  await page.getByTestId("risk-integrations-mes").check();
  await page.getByTestId("risk-integrations-wms").check();
  await expect(page.getByTestId("risk-plants")).toHaveValue("2");
  await page.getByTestId("risk-close-period-no").check();
  await expect(page.getByTestId("risk-preview")).toContainText("high · 8");
  await page.getByTestId("risk-assess").click();
  await expect(page.getByTestId("change-risk")).toHaveText("high · 8");

  // Gates at development: a pass, a failure with its reason, and a waiver signed by who waives it. Gates are the
  // release-manager's to record (default actions), so Tom's key is selected for them.
  await actAs(core, "tom.fischer@plant.example");
  await recordGate(page, "mrp-run", "pass");
  await recordGate(page, "inventory-reservation", "fail", { reason: "Reservations double-counted on line 3" });
  // A cell of the matrix picks its stage and gate and puts the keyboard on the result.
  await page.getByTestId("gate-development-procurement-rules").getByRole("button").click();
  await expect(page.getByTestId("gate-result")).toBeFocused();
  await expect(page.getByTestId("gate-name")).toHaveValue("procurement-rules");
  await page.keyboard.press("Escape");
  // A waiver is the selected key holder's own: a change-manager who did not raise the change (Olivia).
  await actAs(core, "olivia.brown@plant.example");
  await recordGate(page, "procurement-rules", "waived", { reason: "No procurement rules in this area" });

  // Lifecycle: only the allowed moves show; submitting goes through the reason prompt. Back to the change-manager,
  // whose moves the page shows once it reloads.
  await actAs(core, CHANGE_MANAGER);
  await page.reload();
  await expect(page.getByTestId("change-page")).toBeVisible();
  await expect(page.getByTestId("transition-submitted")).toBeVisible();
  await expect(page.getByTestId("transition-approved")).toHaveCount(0);
  await page.getByTestId("transition-submitted").click();
  await page.getByTestId("transition-reason").fill("Ready for the CAB");
  await page.getByTestId("transition-confirm").click();
  await expect(page.getByTestId("change-status")).toHaveText("submitted");

  // The audit timeline names every step.
  const timeline = page.getByTestId("timeline-entry");
  await expect(timeline.and(page.locator('[data-action="change.create"]'))).toHaveCount(1);
  await expect(timeline.and(page.locator('[data-action="risk.assess"]'))).toHaveCount(1);
  await expect(timeline.and(page.locator('[data-action="gate.record"]'))).toHaveCount(3);
  await expect(timeline.and(page.locator('[data-action="change.transition"]'))).toHaveCount(1);

  // Evidence is stored once by content: the same bytes attached twice are kept once. The second file is chosen
  // while the first attach is still refreshing the lists (its audit reload held at the network): finishing
  // must not empty the chooser that now holds the next file.
  let releaseAudit = () => {};
  let auditHeld: Promise<void> | null = new Promise<void>((resolve) => {
    releaseAudit = resolve;
  });
  await page.route("**/api/call", async (route) => {
    const held = auditHeld;
    if (held && (route.request().postDataJSON() as { method?: string }).method === "audit.list") await held;
    await route.continue();
  });
  const report = { name: "mrp-run-dev.txt", mimeType: "text/plain", buffer: Buffer.from("MRP run OK: 412 orders") };
  await page.getByTestId("evidence-file").setInputFiles(report);
  await page.getByTestId("evidence-attach").click();
  await expect(page.getByTestId("evidence-item")).toHaveCount(1);
  await expect(page.getByTestId("evidence-item")).toContainText("mrp-run-dev.txt");
  await page.getByTestId("evidence-file").setInputFiles(report);
  auditHeld = null;
  releaseAudit();
  await expect(page.getByTestId("evidence-notice")).toContainText("mrp-run-dev.txt attached.");
  await page.getByTestId("evidence-attach").click();
  await expect(page.getByTestId("evidence-notice")).toContainText("already attached");
  await expect(page.getByTestId("evidence-item")).toHaveCount(1);

  await page.getByTestId("comment-input").fill("Line 3 supervisor agrees with the Saturday window.");
  await page.getByTestId("comment-submit").click();
  await expect(page.getByTestId("comment")).toContainText("Saturday window");
  await expect(timeline.and(page.locator('[data-action="change.comment"]'))).toHaveCount(1);
  await expect(timeline.and(page.locator('[data-action="evidence.attach"]'))).toHaveCount(1);
  await page.screenshot({ path: "test/e2e/screenshots/register-change-page.png", fullPage: true });

  // Back to the list: full-text search finds it by a word of its description; Enter opens it.
  await page.getByTestId("back-to-register").click();
  await keysReady(page, "register");
  await page.keyboard.press("/");
  await expect(page.getByTestId("register-search")).toBeFocused();
  await page.keyboard.type("quarrelsome conv");
  await expect(page.getByTestId("register-count")).toHaveText("1 change");
  await expect(page.getByTestId("change-row")).toHaveCount(1);
  await expect(page.getByTestId("change-row")).toHaveAttribute("data-change-id", changeId ?? "");
  await expect(page.getByTestId("change-row")).toContainText("high");
  await page.getByTestId("register-search").fill("");
  await expect(page.getByTestId("change-row").nth(1)).toBeVisible();
  await page.screenshot({ path: "test/e2e/screenshots/register-list.png" });
  await page.getByTestId("register-search").fill("quarrelsome");
  await expect(page.getByTestId("register-count")).toHaveText("1 change");
  await expect(page.getByTestId("register-search")).toBeFocused();
  // ↓ leaves the search box for the results; Enter opens the active row.
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("register-grid")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`#/register/${changeId}$`));
  await expect(page.getByTestId("timeline-entry").first()).toBeVisible();
});

test("the form shows inline errors beside each field and saves nothing while invalid", async ({
  page,
  webApp,
  core,
}) => {
  await openRegister(page, webApp);
  const before = await changeCount(core);
  await page.getByTestId("register-new").click();
  // No plant ticked.
  await page.getByTestId("input-requesterName").fill("Ada Lindqvist");
  await page.getByTestId("input-requesterEmail").fill("not-an-email");
  await page.getByTestId("input-windowStart").fill("2026-12-05T12:00");
  await page.getByTestId("input-windowEnd").fill("2026-12-05T08:00");
  await page.getByTestId("input-implementerName").fill("Sam Ops");
  await page.getByTestId("change-save").click();

  await expect(page.getByTestId("field-title-error")).toHaveText("Required.");
  await expect(page.getByTestId("field-plants-error")).toHaveText("Name at least one.");
  await expect(page.getByTestId("field-requesterEmail-error")).toContainText("e-mail address");
  await expect(page.getByTestId("field-windowEnd-error")).toHaveText("The window must end after it starts.");
  await expect(page.getByTestId("field-implementerEmail-error")).toContainText("name and e-mail, or neither");
  await expect(page.getByTestId("field-requesterName-error")).toHaveCount(0);
  await expect(page.getByTestId("form-invalid")).toContainText("nothing was saved");
  await page.screenshot({ path: "test/e2e/screenshots/register-form-invalid.png", fullPage: true });
  // Focus goes to the first problem.
  await expect(page.getByTestId("input-title")).toBeFocused();
  await expect(page).toHaveURL(/#\/register\/new$/);
  expect(await changeCount(core)).toBe(before);

  // A standard change is raised from a template of the catalogue: the form asks for one.
  await expect(page.getByTestId("field-template")).toHaveCount(0);
  await page.getByTestId("input-type").selectOption("standard");
  await page.getByTestId("change-save").click();
  await expect(page.getByTestId("field-template-error")).toContainText("Choose the template");
  await page.getByTestId("input-type").selectOption("normal");
  await expect(page.getByTestId("field-template")).toHaveCount(0);
  expect(await changeCount(core)).toBe(before);

  // Fixing a field clears its message as the person types.
  await page.getByTestId("input-title").fill("Tune reorder rules");
  await expect(page.getByTestId("field-title-error")).toHaveCount(0);
  expect(await changeCount(core)).toBe(before);
});

test("a long register pages in as it scrolls and is driven from the keyboard", async ({ page, webApp, core }) => {
  // Creating 1,200 changes through the door is most of this test; on a loaded machine it alone nears a minute.
  test.setTimeout(180_000);
  const changes = Array.from({ length: 1_200 }, (_, i) => ({
    title: `Bulk change ${String(i).padStart(4, "0")}`,
    type: "normal",
    area: AREAS[i % AREAS.length],
    plants: [PLANTS[i % PLANTS.length]],
    environment: "qa",
    requester: { name: "Bulk Loader", email: "bulk@plant.example" },
  }));
  await actAs(core, CHANGE_MANAGER);
  await core.call("change.createMany", { changes });
  const total = await changeCount(core);
  const last = await core.call<{ items: { id: string }[] }>("change.list", { page: total, pageSize: 1 });

  await openRegister(page, webApp);
  await expect(page.getByTestId("register-count")).toHaveText(`${total.toLocaleString("en-US")} changes`);
  // Only a screenful of rows is in the page, whatever the total.
  expect(await page.getByTestId("change-row").count()).toBeLessThan(80);

  // End jumps to the last change: its page is fetched on the way and it becomes the active row.
  await page.getByTestId("register-grid").focus();
  await page.keyboard.press("End");
  const lastRow = page.locator(`[data-testid="change-row"][data-change-id="${last.items[0]?.id}"]`);
  await expect(lastRow).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowUp");
  await expect(lastRow).toHaveAttribute("aria-selected", "false");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`#/register/${last.items[0]?.id}$`));
  await expect(page.getByTestId("change-title")).toBeFocused();

  // Sorting by title puts Bulk change 0000 first; filters narrow the count.
  await page.getByTestId("back-to-register").click();
  await page.getByTestId("register-search").fill("bulk");
  await expect(page.getByTestId("register-count")).toHaveText("1,200 changes");
  // The sort buttons work from the keyboard too: Enter on one sorts, it does not open a row.
  await page.getByTestId("sort-title").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("sort-title").locator("..")).toHaveAttribute("aria-sort", "ascending");
  // Still the list (no row opened); its search and sort are in the address, to share or reload.
  await expect(page).toHaveURL(/#\/register\?q=bulk&sort=title\.asc$/);
  await expect(page.getByTestId("change-row").first()).toContainText("Bulk change 0000");
  await page.getByTestId("filter-environment").selectOption("qa");
  await page.getByTestId("filter-area").selectOption("bom");
  await expect(page.getByTestId("register-count")).toHaveText("150 changes");
});

test("an edit is validated like a new change and its reason lands in the audit timeline", async ({
  page,
  webApp,
  core,
}) => {
  // The change-manager raises it (on Lee's behalf) and may edit and delete it from its page.
  await actAs(core, CHANGE_MANAGER);
  const created = await core.call<{ id: string }>("change.create", {
    title: "Raise safety stock for M8 bolts",
    type: "normal",
    area: "warehouse",
    plants: ["chicago"],
    environment: "preproduction",
    requester: { name: "Lee Buyer", email: "lee@plant.example" },
  });
  await openApp(page, webApp);
  await page.evaluate((id) => {
    window.location.hash = `#/register/${id}`;
  }, created.id);
  await page.getByTestId("change-edit").click();
  await expect(page).toHaveURL(new RegExp(`#/register/${created.id}/edit$`));
  await expect(page.getByTestId("input-title")).toHaveValue("Raise safety stock for M8 bolts");

  await page.getByTestId("input-title").fill("   ");
  await page.getByTestId("input-title").blur();
  await expect(page.getByTestId("field-title-error")).toHaveText("Required.");
  await page.getByTestId("input-title").fill("Raise safety stock for M8 and M10 bolts");
  await page.getByTestId("input-reason").fill("M10 runs out on the same line");
  await page.getByTestId("change-save").click();

  await expect(page.getByTestId("change-title")).toHaveText("Raise safety stock for M8 and M10 bolts");
  const edit = page.locator('[data-testid="timeline-entry"][data-action="change.update"]');
  await expect(edit).toContainText("edited the title");
  await expect(edit).toContainText("M10 runs out on the same line");

  // A draft may be deleted, but only with a reason; it then leaves the list.
  await page.getByTestId("change-delete").click();
  await page.getByTestId("transition-confirm").click();
  await expect(page.getByTestId("transition-reason-error")).toBeVisible();
  await page.getByTestId("transition-reason").fill("Duplicate of the M-series request");
  await page.getByTestId("transition-confirm").click();
  await expect(page).toHaveURL(/#\/register$/);
  await page.getByTestId("register-search").fill("M10 bolts");
  await expect(page.getByTestId("register-empty")).toBeVisible();
  await expect(page.getByTestId("register-count")).toHaveText("0 changes");
});

test("a change awaiting approval offers no Approve or Reject: the page says signatures decide, and the core refuses the move", async ({
  page,
  webApp,
  core,
}) => {
  await actAs(core, "lena.weber@plant.example");
  const created = await core.call<{ id: string }>("change.create", {
    title: "Two-step picking for the Berlin line-side store",
    type: "normal",
    area: "warehouse",
    plants: ["berlin"],
    environment: "qa",
    requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
  });
  await toAwaitingApproval(core, created.id, riskAnswers());
  await openApp(page, webApp);
  await page.evaluate((id) => {
    window.location.hash = `#/register/${id}`;
  }, created.id);
  await expect(page.getByTestId("change-status")).toHaveText("awaiting approval");
  await expect(page.getByTestId("transition-cancelled")).toBeVisible();
  await expect(page.getByTestId("transition-draft")).toBeVisible();
  await expect(page.getByTestId("transition-approved")).toHaveCount(0);
  await expect(page.getByTestId("transition-rejected")).toHaveCount(0);
  await expect(page.getByTestId("derived-approved")).toContainText("only through signed approvals");
  await expect(page.getByTestId("derived-rejected")).toContainText("only through a signed rejection");
  // The page only reflects the rule: the door refuses the call itself, and nothing moves.
  await expect(
    core.call("change.transition", { id: created.id, to: "approved", reason: "Looks fine" }),
  ).rejects.toThrow(/only through signed approvals/);
  const after = await core.call<{ status: string; version: number }>("change.get", { id: created.id });
  expect(after.status).toBe("awaiting-approval");
});
