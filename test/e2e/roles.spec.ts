import { switchTo } from "./approvals-ui";
import { actAs, logEmergencyAsRaj, riskAnswers, toAwaitingApproval } from "./core-setup";
import { type CoreApi, expect, test } from "./fixtures";

// Issue #13 item 2: the change page offers only the moves the selected key's holder may make, and says why the
// others are unavailable; the form takes the requester from the key.
const LENA = "lena.weber@plant.example"; // developer: the requester of the change below
const TOM = "tom.fischer@plant.example"; // release-manager

// Selects a demo person's key through the browser door, as the identity switcher does.
async function useKey(core: CoreApi, email: string): Promise<void> {
  const keys = await core.call<readonly { email: string; keyFile: string }[]>("identity.demoKeys", {});
  const key = keys.find((k) => k.email === email);
  if (!key) throw new Error(`no demo key for ${email}`);
  await core.call("identity.use", { keyFile: key.keyFile });
}

test("the change page hides a move the key holder may not make, with the role it needs; the requester sees it", async ({
  page,
  webApp,
  core,
}) => {
  await useKey(core, LENA);
  const created = await core.call<{ id: string; requester: { email: string } }>("change.create", {
    title: "Relabel the Berlin returns shelf",
    type: "normal",
    area: "warehouse",
    plants: ["berlin"],
    environment: "qa",
    requester: { name: "Lena Weber", email: LENA },
  });
  expect(created.requester.email).toBe(LENA);
  await useKey(core, TOM);

  await page.goto(webApp.url);
  await page.getByRole("navigation", { name: "Main" }).waitFor();
  await page.evaluate((id) => {
    window.location.hash = `#/register/${id}`;
  }, created.id);
  await expect(page.getByTestId("change-status")).toHaveText("draft");
  await expect(page.getByTestId("transition-submitted")).toHaveCount(0);
  await expect(page.getByTestId("unavailable-submitted")).toContainText(
    "Only the requester or a change-manager may submit",
  );
  await expect(page.getByTestId("unavailable-submitted")).toContainText(`you (${TOM}) hold: release-manager`);

  await page.getByRole("link", { name: "Approvals" }).click();
  await switchTo(page, "Lena Weber");
  await page.evaluate((id) => {
    window.location.hash = `#/register/${id}`;
  }, created.id);
  await expect(page.getByTestId("transition-submitted")).toBeVisible();
  await expect(page.getByTestId("unavailable-submitted")).toHaveCount(0);

  // A new change's requester is the key holder, shown read-only.
  await page.evaluate(() => {
    window.location.hash = "#/register/new";
  });
  await expect(page.getByTestId("input-requesterEmail")).toHaveValue(LENA);
  await expect(page.getByTestId("input-requesterEmail")).toHaveAttribute("readonly", "");
});

test("the approvals and exceptions screens offer no Approve or Review to someone the core would refuse, and say why", async ({
  page,
  webApp,
  core,
}) => {
  // A medium-risk production change for Berlin: a change-manager and Berlin's plant-ops-leader decide it.
  await actAs(core, LENA);
  const change = await core.call<{ id: string }>("change.create", {
    title: "E2E Berlin pick route switch",
    type: "normal",
    area: "warehouse",
    plants: ["berlin"],
    environment: "production",
    requester: { name: "Lena Weber", email: LENA },
    implementer: { name: "Tom Fischer", email: TOM },
    window: { start: "2026-12-10T21:00:00Z", end: "2026-12-11T01:00:00Z" },
    rollbackPlan: "Revert the release commit.",
    validation: [],
  });
  await toAwaitingApproval(core, change.id, riskAnswers({ "production-hours": true, "rollback-rehearsed": false }));
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Approvals" }).click();

  // Dana, the DBA, holds neither role: her inbox does not offer it, and the dialog names the roles it needs.
  await switchTo(page, "Dana Kim");
  await expect(page.getByTestId("inbox").or(page.getByTestId("inbox-empty"))).toBeVisible();
  await expect(page.locator(`[data-testid=inbox-item][data-change-id="${change.id}"]`)).toHaveCount(0);
  await page.locator(`[data-testid=awaiting-item][data-change-id="${change.id}"]`).getByRole("button").click();
  const dialog = page.getByTestId("approval-dialog");
  await dialog.getByTestId("approval-meaning").fill("Approved for production release");
  await expect(dialog.getByTestId("approve-button")).toBeDisabled();
  await expect(dialog.getByTestId("reject-button")).toBeDisabled();
  await expect(dialog.getByTestId("approve-disabled-reason")).toContainText("You cannot approve");
  await expect(dialog.getByTestId("approve-disabled-reason")).toContainText(/change-manager|plant-ops-leader/);
  await dialog.getByTestId("approval-close").click();

  // An emergency Raj logged: he is an it-manager, yet he may not sign its approval (Kenji, the other, may).
  const emergency = await logEmergencyAsRaj(core, "E2E emergency: scanner lot-number fix");
  await switchTo(page, "Raj Patel");
  await expect(page.getByTestId("inbox").or(page.getByTestId("inbox-empty"))).toBeVisible();
  await expect(page.locator(`[data-testid=inbox-item][data-change-id="${emergency}"]`)).toHaveCount(0);
  await page.locator(`[data-testid=awaiting-item][data-change-id="${emergency}"]`).getByRole("button").click();
  await dialog.getByTestId("approval-meaning").fill("Approved under break-glass");
  await expect(dialog.getByTestId("approve-button")).toBeDisabled();
  await expect(dialog.getByTestId("approve-disabled-reason")).toContainText("you logged its exception");
  await dialog.getByTestId("approval-close").click();
  await switchTo(page, "Kenji Sato");
  await expect(page.locator(`[data-testid=inbox-item][data-change-id="${emergency}"]`)).toHaveCount(1);

  // Nor does the exceptions register offer Raj (a cab-member, so a reviewer role) the review of his own emergency.
  await page.getByRole("link", { name: "Exceptions" }).click();
  await switchTo(page, "Raj Patel");
  const row = page.locator(`[data-testid=exception-row][data-change-id="${emergency}"]`);
  await expect(row.getByTestId("exception-review-unavailable")).toContainText("you logged its exception");
  await expect(row.getByTestId("exception-review-button")).toHaveCount(0);
  // Sofia, a cab-member who neither logged, raised nor implements it, is offered the review.
  await switchTo(page, "Sofia Rossi");
  await expect(row.getByTestId("exception-review-button")).toBeVisible();
  await expect(row.getByTestId("exception-review-unavailable")).toHaveCount(0);
});
