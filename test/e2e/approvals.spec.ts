import { mkdirSync } from "node:fs";
import { approveFromInbox, switchTo } from "./approvals-ui";
import { actAs, riskAnswers, toAwaitingApproval } from "./core-setup";
import { type CoreApi, expect, test } from "./fixtures";

// Time is pinned with SHIFTGATE_CLOCK and moved by restarting the server on the same data folder (webApp.restart).
const START = "2026-12-03T10:00:00Z";
const LATER = "2026-12-06T12:00:00Z"; // past break-glass end + 48 h

test.use({ webAppEnv: { SHIFTGATE_CLOCK: START } });

/** A medium-risk production change for Berlin and Chicago, requested by Lena, walked to awaiting-approval. */
async function mediumChangeForTwoPlants(core: CoreApi): Promise<string> {
  await actAs(core, "lena.weber@plant.example");
  const change = await core.call<{ id: string }>("change.create", {
    title: "E2E two-plant pick route switch",
    type: "normal",
    area: "warehouse",
    plants: ["berlin", "chicago"],
    environment: "production",
    requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
    implementer: { name: "Tom Fischer", email: "tom.fischer@plant.example" },
    window: { start: "2026-12-04T21:00:00Z", end: "2026-12-05T01:00:00Z" },
    validation: [],
    rollbackPlan: "Revert the release commit; Argo CD syncs the previous image back.",
  });
  await toAwaitingApproval(
    core,
    change.id,
    riskAnswers({ "production-hours": true, "rollback-rehearsed": false, plants: 2 }),
  );
  return change.id;
}

test("two plant-ops-leaders and a change manager approve a two-plant change; the requester cannot; an emergency review goes overdue", async ({
  page,
  webApp,
  core,
}) => {
  test.setTimeout(180_000);
  const id = await mediumChangeForTwoPlants(core);
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Approvals" }).click();

  // The requester sees the change but may not sign it, and is told why.
  await switchTo(page, "Lena Weber");
  await page.locator(`[data-testid=awaiting-item][data-change-id="${id}"]`).getByRole("button").click();
  const dialog = page.getByTestId("approval-dialog");
  await dialog.getByTestId("approval-meaning").fill("Approved for production release");
  await expect(dialog.getByTestId("approve-button")).toBeDisabled();
  await expect(dialog.getByTestId("approve-disabled-reason")).toHaveText("You cannot approve: you are the requester.");
  await dialog.getByTestId("approval-close").click();

  // Berlin's and Chicago's plant-ops-leaders approve: perPlant across two plants.
  await switchTo(page, "Ana Ortiz");
  await approveFromInbox(page, id, "Approved for the Berlin night window");
  await expect(dialog.getByTestId("quorum-summary")).toHaveText(
    "needs 1 change-manager and the Chicago plant-ops-leader",
  );
  const record = dialog.getByTestId("approval-record").first();
  await expect(record.getByTestId("signature-name")).toHaveText("Ana Ortiz");
  await expect(record.getByTestId("signature-time")).toContainText("2026-12-03");
  await expect(record.getByTestId("signature-meaning")).toHaveText("Approved for the Berlin night window");
  await dialog.getByTestId("approval-close").click();

  await switchTo(page, "Marcus Reed");
  await approveFromInbox(page, id, "Approved for the Chicago night window");
  await expect(dialog.getByTestId("quorum-summary")).toHaveText("needs 1 change-manager");
  await dialog.getByTestId("approval-close").click();

  // The demo policy (the spec's) also asks a change manager for medium risk.
  await switchTo(page, "Sofia Rossi");
  await approveFromInbox(page, id, "Approved for production release");
  await expect(dialog.getByTestId("quorum-summary")).toHaveText("approved");
  await expect(dialog.getByTestId("approval-status")).toHaveText("approved");
  await expect(dialog.getByTestId("approval-record")).toHaveCount(3);

  // An IT manager logs an emergency change under break-glass.
  await page.getByRole("link", { name: "Exceptions" }).click();
  await switchTo(page, "Raj Patel");
  const form = page.getByTestId("exception-form");
  await form.getByTestId("exception-title").fill("E2E scanner lot-number fix");
  await form.getByTestId("exception-incident").fill("INC-4711");
  await form.getByTestId("exception-plants").fill("chicago");
  await form.getByTestId("exception-start").fill("2026-12-03T08:00");
  await form.getByTestId("exception-end").fill("2026-12-03T09:30");
  await form.getByTestId("exception-justification").fill("Scanners reject lot numbers; shipping stopped");
  await form.getByTestId("exception-actions").fill("Patched the parser, restarted the scanner service");
  await form.getByTestId("field-exception-requester-name").locator("input").fill("Lena Weber");
  await form.getByTestId("field-exception-requester-email").locator("input").fill("lena.weber@plant.example");
  await form.getByTestId("field-exception-implementer-name").locator("input").fill("Kenji Sato");
  await form.getByTestId("field-exception-implementer-email").locator("input").fill("kenji.sato@plant.example");
  await form.getByTestId("exception-submit").click();
  const row = page.locator("[data-testid=exception-row]", { hasText: "E2E scanner lot-number fix" });
  await expect(row).toHaveAttribute("data-overdue", "false");
  await expect(row.getByTestId("exception-logged-by").getByTestId("signature-name")).toHaveText("Raj Patel");
  await expect(row.getByTestId("exception-due")).toBeVisible();
  const emergencyId = await row.getAttribute("data-change-id");

  // The emergency quorum applies: an it-manager and a plant-ops-leader. Raj logged it, so he may not approve it
  // (Kenji, the demo's other it-manager, may); his inbox does not offer it.
  await page.getByRole("link", { name: "Approvals" }).click();
  await expect(page.getByTestId("inbox").or(page.getByTestId("inbox-empty"))).toBeVisible();
  await expect(page.locator(`[data-testid=inbox-item][data-change-id="${emergencyId}"]`)).toHaveCount(0);
  await switchTo(page, "Marcus Reed");
  await approveFromInbox(page, emergencyId ?? "", "Approved under break-glass for Chicago");
  await expect(dialog.getByTestId("quorum-summary")).toHaveText("needs 1 it-manager");
  await expect(dialog.getByTestId("approval-status")).toHaveText("awaiting approval");

  // Three days later (a restart with a later clock on the same data folder) the review is overdue.
  await webApp.restart({ SHIFTGATE_CLOCK: LATER });
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Exceptions" }).click();
  const later = page.locator("[data-testid=exception-row]", { hasText: "E2E scanner lot-number fix" });
  await expect(later).toHaveAttribute("data-overdue", "true");
  await expect(later.getByTestId("exception-overdue")).toContainText("Review overdue");
  await expect(page.getByTestId("overdue-banner")).toBeVisible();

  // A reviewer who is not the implementer signs the retrospective review; it is no longer overdue.
  await switchTo(page, "Sofia Rossi");
  await later.getByTestId("exception-review-button").click();
  await page.getByTestId("review-notes").fill("Root cause understood; follow-up change planned");
  await page.getByTestId("review-submit").click();
  await expect(later).toHaveAttribute("data-overdue", "false");
  await expect(later.getByTestId("exception-reviewed-by").getByTestId("signature-name")).toHaveText("Sofia Rossi");
});

test("the approval panel is a decision view: gate records with evidence, risk reasons, plant times, a link to the change; the number it shows finds the change", async ({
  page,
  webApp,
  core,
}) => {
  test.setTimeout(120_000);
  const id = await mediumChangeForTwoPlants(core);
  // A second MRP run, recorded by the DBA (the implementer records no gate bound for production).
  await actAs(core, "dana.kim@plant.example");
  const gate = await core.call<{ id: string }>("gate.record", {
    changeId: id,
    stage: "preproduction",
    gate: "mrp-run",
    result: "pass",
  });
  await core.call("evidence.attach", {
    changeId: id,
    gateId: gate.id,
    filename: "mrp-run.log",
    mediaType: "text/plain",
    contentBase64: Buffer.from("MRP run 14 min, 0 exceptions\n").toString("base64"),
  });
  // Ana reads what she would sign (Berlin's plant-ops-leader).
  await actAs(core, "ana.ortiz@plant.example");
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Approvals" }).click();
  await page.locator(`[data-testid=inbox-item][data-change-id="${id}"]`).getByRole("button").click();
  const view = page.getByTestId("approval-dialog").getByTestId("decision-view");
  const number = (await view.getByTestId("decision-number").textContent()) ?? "";
  expect(number).toMatch(/^DRAFT-[0-9A-Z]{6}$/);
  const row = view.getByTestId("decision-gate").filter({ hasText: "dana.kim@plant.example" });
  await expect(row).toContainText("MRP run");
  await expect(row).toContainText("Passed");
  await expect(row.getByTestId("decision-evidence")).toHaveText("mrp-run.log (29 B) on this laptop");
  await expect(view.getByTestId("decision-risk")).toContainText(
    "Does it touch MRP or stock while production is running? Yes",
  );
  // 21:00 UTC on 4 Dec is 22:00 in Berlin and 15:00 in Chicago, each with its zone abbreviation and offset.
  const windows = view.getByTestId("decision-plant-window");
  await expect(windows.nth(0)).toContainText("Fri 04 Dec 2026, 22:00");
  await expect(windows.nth(0)).toContainText("CET (UTC+01:00)");
  await expect(windows.nth(1)).toContainText("Fri 04 Dec 2026, 15:00");
  await expect(windows.nth(1)).toContainText("CST (UTC-06:00)");

  mkdirSync("test/e2e/screenshots", { recursive: true });
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `test/e2e/screenshots/decision-view-${width}x${height}.png`, fullPage: true });
  }

  // The whole change is one click away, under the same number.
  await view.getByTestId("decision-open-change").click();
  await expect(page.getByTestId("change-page")).toHaveAttribute("data-change-id", id);
  await expect(page.getByTestId("change-number")).toHaveText(number);

  // The number shown is the number searched: in the register list and in the palette (Ctrl+K).
  await page.getByTestId("back-to-register").click();
  await page.getByTestId("register-search").fill(number);
  await expect(page.getByTestId("change-row")).toHaveCount(1);
  await expect(page.getByTestId("change-row")).toContainText(number);
  await page.keyboard.press("Control+k");
  await page.getByTestId("palette-input").fill(number.toLowerCase());
  await expect(page.getByTestId("palette-result")).toHaveCount(1);
  await page.getByTestId("palette-input").press("Enter");
  await expect(page.getByTestId("change-page")).toHaveAttribute("data-change-id", id);
});
