import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { demoPlantIcs } from "../../shared/domain/calendar/demo-calendars";
import { DEMO_PLANTS } from "../../shared/domain/demo/roster";
import { actAs, logEmergencyAsRaj, riskAnswers, toAwaitingApproval } from "./core-setup";
import { type CoreApi, expect, keysReady, test } from "./fixtures";

const SHOTS = join(process.cwd(), "test/e2e/screenshots");

// Meeting rooms run the app on a projector in the dark theme.
test.use({ colorScheme: "dark" });

/** A low-risk QA change walked to awaiting-approval, its window `days` from now. */
async function awaitingChange(core: CoreApi, title: string, days: number): Promise<string> {
  const start = new Date(Date.now() + days * 86_400_000);
  start.setUTCHours(8, 0, 0, 0);
  await actAs(core, "lena.weber@plant.example");
  const change = await core.call<{ id: string }>("change.create", {
    title,
    type: "normal",
    // Not a shop-floor area: its window (08:00 UTC, a Berlin shift on weekdays) answers no risk question.
    area: "reporting",
    plants: ["berlin"],
    environment: "qa",
    requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
    window: { start: start.toISOString(), end: new Date(start.getTime() + 2 * 3_600_000).toISOString() },
  });
  await toAwaitingApproval(core, change.id, riskAnswers());
  return change.id;
}

/**
 * Decides the current agenda item by keyboard: the decision key opens the sign dialog with the focus on it, the
 * signer's number (by who is present) and Enter sign, and the decision shows on the item once the dialog is gone.
 */
async function decideByKeyboard(page: Page, key: string, signer: string, decision: string): Promise<void> {
  await page.keyboard.press(key);
  await expect(page.getByTestId("sign-dialog")).toBeFocused();
  await page.keyboard.press(signer);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("item-decisions")).toContainText(decision);
  await expect(page.getByTestId("sign-dialog")).toHaveCount(0);
}

test("a CAB meeting over the demo data: decide by keyboard, a late addition, minutes PDF", async ({
  page,
  webApp,
  core,
}) => {
  mkdirSync(SHOTS, { recursive: true });
  // The demo plants' calendars under the plant ids the demo changes use (unless the demo seed brought them).
  const plants = await core.call<{ id: string }[]>("plant.list", {});
  for (const plant of DEMO_PLANTS.filter((p) => !plants.some((x) => x.id === p.id))) {
    const ics = demoPlantIcs(plant, Date.now()).replace(/X-WR-CALNAME:[^\r\n]*/, `X-WR-CALNAME:${plant.id}`);
    await core.call("plant.import", { ics, fileName: `${plant.id}.ics` });
  }
  await awaitingChange(core, "Berlin goods receipt: quality hold location", 9);
  // The chair's laptop signs as Sofia Rossi: her home screen lists what awaits her.
  const keys = await core.call<{ email: string; keyFile: string }[]>("identity.demoKeys", {});
  const sofiaKey = keys.find((k) => k.email === "sofia.rossi@plant.example")?.keyFile ?? "";
  await core.call("identity.use", { keyFile: sofiaKey });

  await page.goto(webApp.url);
  await expect(page.getByRole("heading", { name: "What needs me now" })).toBeVisible();
  await expect(page.getByTestId("home-approvals")).toContainText("EDI 856");
  await expect(page.getByTestId("home-drift")).toContainText("Not configured");
  await page.screenshot({ path: join(SHOTS, "home.png"), fullPage: true });
  // Each item is one click from its place: the approval opens in the approvals page.
  await page
    .getByTestId("home-approvals")
    .getByRole("link", { name: /EDI 856/ })
    .click();
  await expect(page).toHaveURL(/#\/approvals\?change=[0-9A-Z]{26}$/);

  await page.getByRole("link", { name: "CAB meeting", exact: true }).first().click();
  // The demo's own two changes awaiting approval, the demo repository's two, and the one made here.
  await expect(page.getByTestId("agenda-preview").locator("li")).toHaveCount(5);
  for (const email of ["sofia.rossi@plant.example", "marcus.reed@plant.example", "kenji.sato@plant.example"]) {
    await page.getByTestId(`attendee-${email}`).check();
  }
  await page.getByRole("button", { name: "Start meeting" }).click();
  const room = page.getByTestId("meeting-room");
  await expect(room).toBeVisible();
  // The room's keys work once it listens (data-keys), not merely once it is painted.
  await keysReady(page, "meeting");
  await expect(page.getByTestId("agenda-item-0")).toContainText("EDI 856");
  await expect(page.getByTestId("agenda-item-1")).toContainText("MRP lead time");
  await expect(page.getByTestId("agenda-item-2")).toContainText("MRP reorder rules");
  await expect(page.getByTestId("agenda-item-3")).toContainText("lot label");
  await expect(page.getByTestId("agenda-item-4")).toContainText("quality hold");

  // Signers are listed by who is present: 1 Kenji Sato, 2 Marcus Reed, 3 Sofia Rossi.
  await page.keyboard.press("s");
  await expect(page.getByTestId("item-timer")).toContainText("●");
  await decideByKeyboard(page, "a", "3", "APPROVED by Sofia Rossi");

  await page.keyboard.press("j");
  await expect(page.getByTestId("meeting-item")).toContainText("MRP lead time");
  await decideByKeyboard(page, "r", "1", "REJECTED by Kenji Sato");

  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("meeting-item")).toContainText("quality hold");
  await page.keyboard.press("d");
  await page.getByTestId("defer-reason").fill("Wait for the new racking in hall 3");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("item-decisions")).toContainText("DEFERRED");
  await page.keyboard.press("n");
  await expect(page.getByTestId("item-notes")).toBeFocused();
  await page.keyboard.type("Racking delivery confirmed for week 50");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("item-notes")).not.toBeFocused();

  // A change that becomes ready during the meeting waits in "added late", never silently in the agenda.
  await awaitingChange(core, "Late: Berlin dock door scanner firmware", 6);
  await expect(page.getByTestId("added-late")).toContainText("dock door scanner", { timeout: 15_000 });
  await expect(page.getByTestId("agenda-item-5")).toHaveCount(0);
  await page.keyboard.press("t");
  await expect(page.getByTestId("agenda-item-5")).toContainText("late");

  await page.keyboard.press("k");
  await page.keyboard.press("k");
  await page.keyboard.press("k");
  await page.screenshot({ path: join(SHOTS, "meeting.png") });
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard help" })).toBeVisible();
  await page.screenshot({ path: join(SHOTS, "meeting-help.png") });
  await page.keyboard.press("Escape");

  await page.keyboard.press("e");
  await page.keyboard.press("Enter");
  await expect(room.locator(".meeting-state")).toHaveText("ended");

  const download = page.waitForEvent("download");
  await page.getByTestId("minutes-pdf").click();
  // Not under test-results: another Playwright run on this machine may empty that folder meanwhile.
  const file = join(webApp.dataDir, "minutes.pdf");
  await (await download).saveAs(file);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  expect(text).toContain("Signed by Sofia Rossi <sofia.rossi@plant.example>");
  expect(text).toContain("Signed by Kenji Sato <kenji.sato@plant.example>");
  expect(text).toMatch(/Date and time: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC[+-]\d{2}:\d{2} \([A-Za-z_/]+\)/);
  expect(text).toMatch(/Meaning: Approved at CAB meeting/);
  expect(text).toMatch(/Meaning: Rejected at CAB meeting/);
  expect(text).toContain("Wait for the new racking in hall 3");
  expect(text).toContain("(added late)");
  expect(text).toContain("Notes: Racking delivery confirmed for week 50");
  execFileSync("pdftoppm", ["-png", "-r", "70", "-f", "1", "-l", "1", file, join(SHOTS, "minutes")]);
});

test("a decision is signed by keyboard while the one before it is still on its way to the core", async ({
  page,
  webApp,
  core,
}) => {
  const sofia = "sofia.rossi@plant.example";
  const kenji = "kenji.sato@plant.example";
  await core.call("meeting.start", { horizonDays: 14, attendees: [sofia, kenji] });
  // The first decision's request is held at the network until the second has been sent.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const decisions: string[] = [];
  await page.route("**/api/call", async (route) => {
    const body = route.request().postDataJSON() as { method?: string; input?: { decision?: string } };
    if (body.method === "meeting.decide") {
      decisions.push(body.input?.decision ?? "?");
      if (decisions.length === 1) await held;
    }
    await route.continue();
  });
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "CAB meeting", exact: true }).first().click();
  await expect(page.getByTestId("meeting-room")).toBeVisible();
  await keysReady(page, "meeting");
  await expect(page.getByTestId("meeting-item")).toContainText("EDI 856");

  // Signers by who is present: 1 Kenji Sato, 2 Sofia Rossi.
  await page.keyboard.press("a");
  await expect(page.getByTestId("sign-dialog")).toBeFocused();
  await expect(page.getByTestId("sign-dialog").getByRole("listitem")).toHaveCount(2);
  await page.keyboard.press("2");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("sign-dialog")).toHaveCount(0);
  await page.keyboard.press("j");
  await expect(page.getByTestId("meeting-item")).toContainText("MRP lead time");
  await page.keyboard.press("r");
  await expect(page.getByTestId("sign-dialog")).toBeFocused();
  await page.keyboard.press("1");
  await page.keyboard.press("Enter");
  // The second Enter went out although the first call had not come back.
  await expect.poll(() => decisions).toEqual(["approved", "rejected"]);
  await expect(page.getByTestId("sign-dialog")).toHaveCount(0);
  release();
  await expect(page.getByTestId("agenda-item-0")).toContainText(/approved/i);
  await expect(page.getByTestId("agenda-item-1")).toContainText(/rejected/i);
  await expect(page.getByTestId("item-decisions")).toContainText("REJECTED by Kenji Sato");
});

test("the sign dialog lets only attendees who may decide the item sign, and says why the others may not", async ({
  page,
  webApp,
  core,
}) => {
  const kenji = "kenji.sato@plant.example";
  const lena = "lena.weber@plant.example";
  const raj = "raj.patel@plant.example";
  const sofia = "sofia.rossi@plant.example";
  // An emergency Raj logs for a fix Marcus raised: the emergency quorum needs an it-manager other than Raj.
  await logEmergencyAsRaj(core, "E2E emergency: scanner lot-number fix");
  await core.call("meeting.start", { horizonDays: 14, attendees: [kenji, lena, raj, sofia] });
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "CAB meeting", exact: true }).first().click();
  await expect(page.getByTestId("meeting-room")).toBeVisible();
  await keysReady(page, "meeting");
  const dialog = page.getByTestId("sign-dialog");
  const option = (email: string) => dialog.locator(`[data-testid=signer-option][data-email="${email}"]`);

  // EDI 856, requested by Lena, needs a change-manager. Signers by who is present: 1 Kenji, 2 Lena, 3 Raj, 4 Sofia.
  await page.locator("[data-testid^=agenda-item-]", { hasText: "EDI 856" }).getByRole("button").click();
  await expect(page.getByTestId("meeting-item")).toContainText("EDI 856");
  await page.keyboard.press("a");
  await expect(dialog).toBeFocused();
  await expect(option(lena)).toHaveAttribute("data-allowed", "false");
  await expect(option(lena).getByTestId("signer-unavailable")).toContainText(
    "Cannot sign: You cannot approve: you are the requester.",
  );
  await expect(option(kenji).getByTestId("signer-unavailable")).toContainText("change-manager");
  await expect(option(sofia)).toHaveAttribute("data-allowed", "true");
  // Choosing Lena leaves no one to sign: the reason is shown, Sign is disabled and Enter signs nothing.
  await page.keyboard.press("2");
  await expect(dialog.getByTestId("signer-refusal")).toContainText("Lena Weber cannot sign this item");
  await expect(dialog.getByTestId("sign-button")).toBeDisabled();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("item-decisions")).not.toContainText("APPROVED");

  // The emergency: Raj logged it, so he cannot be chosen to sign its approval; Kenji can.
  await page.locator("[data-testid^=agenda-item-]", { hasText: "E2E emergency" }).getByRole("button").click();
  await expect(page.getByTestId("meeting-item")).toContainText("E2E emergency");
  await page.keyboard.press("a");
  await expect(dialog).toBeFocused();
  await expect(option(raj).getByTestId("signer-unavailable")).toContainText("you logged its exception");
  await page.keyboard.press("3");
  await expect(dialog.getByTestId("signer-refusal")).toContainText("Raj Patel cannot sign this item");
  await expect(dialog.getByTestId("sign-button")).toBeDisabled();
  await page.keyboard.press("1");
  await expect(dialog.getByTestId("sign-button")).toBeEnabled();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("item-decisions")).toContainText("APPROVED by Kenji Sato");
});

test("reports: monthly figures as charts, the audit CSV and a change's record PDF", async ({ page, webApp }) => {
  mkdirSync(SHOTS, { recursive: true });
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Reports", exact: true }).click();
  await expect(page.getByTestId("figures-totals")).toContainText("Submitted");
  await expect(page.getByRole("img", { name: "Changes submitted per month by type" })).toBeVisible();
  await page.screenshot({ path: join(SHOTS, "reports.png"), fullPage: true });

  const csvDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Audit export (CSV)" }).click();
  const csvFile = join(webApp.dataDir, "audit.csv");
  await (await csvDownload).saveAs(csvFile);
  expect(readFileSync(csvFile, "utf8").split("\r\n")[0]).toBe(
    "seq,at,actor,door,action,entity,entityId,reason,before,after,prevHash,hash",
  );

  await page
    .getByTestId("report-change")
    // This test runs on the real clock: the demo numbers its changes in the year it is built.
    .selectOption({ label: `CHG-${new Date().getUTCFullYear()}-0008 EDI 856 mapping for the new Chicago carrier` });
  const pdfDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Change record (PDF)" }).click();
  const pdfFile = join(webApp.dataDir, "change.pdf");
  await (await pdfDownload).saveAs(pdfFile);
  const text = execFileSync("pdftotext", ["-layout", pdfFile, "-"], { encoding: "utf8" });
  expect(text).toContain("EDI 856 mapping for the new Chicago carrier");
  expect(text).toContain("Audit trail");
});

test("the CAB item shows what the room signs: the decision view with gate records, evidence and a link to the change", async ({
  page,
  webApp,
  core,
}) => {
  mkdirSync(SHOTS, { recursive: true });
  const title = "Berlin goods receipt: decision view in the room";
  const id = await awaitingChange(core, title, 5);
  await actAs(core, "tom.fischer@plant.example");
  const gate = await core.call<{ id: string }>("gate.record", {
    changeId: id,
    stage: "development",
    gate: "inventory-reservation",
    result: "pass",
  });
  await core.call("evidence.attach", {
    changeId: id,
    gateId: gate.id,
    filename: "reservations.csv",
    mediaType: "text/csv",
    contentBase64: Buffer.from("checked,failed\n412,0\n").toString("base64"),
  });
  await actAs(core, "sofia.rossi@plant.example");
  await core.call("meeting.start", {
    horizonDays: 14,
    attendees: ["sofia.rossi@plant.example", "kenji.sato@plant.example"],
  });
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "CAB meeting", exact: true }).first().click();
  await expect(page.getByTestId("meeting-room")).toBeVisible();
  await keysReady(page, "meeting");
  await page
    .getByTestId("meeting-room")
    .locator("[data-testid^=agenda-item-]", { hasText: title })
    .getByRole("button")
    .click();
  const item = page.getByTestId("meeting-item");
  await expect(item).toContainText(title);
  const view = item.getByTestId("decision-view");
  const number = (await view.getByTestId("decision-number").textContent()) ?? "";
  expect(number).toMatch(/^DRAFT-[0-9A-Z]{6}$/);
  await expect(item.locator(".item-title")).toContainText(number);
  const row = view.getByTestId("decision-gate");
  await expect(row).toContainText("dev · inventory reservation");
  await expect(row).toContainText("Passed");
  await expect(row.getByTestId("decision-evidence")).toHaveText("reservations.csv (21 B) on this laptop");
  await expect(view.getByTestId("decision-plant-window")).toContainText("(UTC+01:00)");
  await expect(view.getByTestId("decision-signers")).toContainText("No one has signed this revision yet.");
  await expect(view.getByTestId("decision-needed")).toHaveText("No approvals needed (environment not protected).");
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: join(SHOTS, `meeting-decision-view-${width}x${height}.png`), fullPage: true });
  }
  await view.getByTestId("decision-open-change").click();
  await expect(page.getByTestId("change-page")).toHaveAttribute("data-change-id", id);
  await expect(page.getByTestId("change-number")).toHaveText(number);
});
