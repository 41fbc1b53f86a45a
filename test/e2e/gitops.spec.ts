import { approveFromInbox, switchTo } from "./approvals-ui";
import { actAs, numbered } from "./core-setup";
import { expect, test } from "./fixtures";

// The demo GitOps repository is built on first run; its clock is pinned so the demo changes are where we expect.
test.use({ webAppEnv: { SHIFTGATE_CLOCK: "2026-12-01T08:00:00Z" } });

test("approve a change and see its signed commit (signer, key fingerprint, verified) on the change page", async ({
  page,
  webApp,
  core,
}) => {
  test.setTimeout(120_000);
  // The demo's CHG-2026-0003 (low risk, Pune) awaits approval in the register and the repository alike.
  const id = (await numbered(core, "-0003")).changeId;

  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Approvals" }).click();
  await switchTo(page, "Sofia Rossi");
  await approveFromInbox(page, id, "Approved for production release");

  await page.goto(`${webApp.origin}/#/register/${id}`);
  const panel = page.getByTestId("change-signatures");
  const approval = panel.getByTestId("signed-commit").filter({ hasText: "Approve" }).first();
  await expect(approval.getByTestId("signed-commit-signer")).toContainText("Sofia Rossi <sofia.rossi@plant.example>");
  await expect(approval.getByTestId("signed-commit-fingerprint")).toHaveText(/^SHA256:[A-Za-z0-9+/]{43}$/);
  await expect(approval.getByTestId("signed-commit-verified")).toHaveText("verified");

  // The outbox page shows the approval pushed (the worker pushes right after the commit; Push now makes sure).
  await page.getByRole("link", { name: "GitOps" }).click();
  await page.getByTestId("outbox-push").click();
  await expect(page.getByTestId("outbox-empty")).toBeVisible();
  await expect(page.getByTestId("outbox-recent").getByTestId("outbox-row").first()).toHaveAttribute(
    "data-state",
    "pushed",
  );
});

test("send a submitted change to the GitOps repository from its page and see the requester's verified commit", async ({
  page,
  webApp,
  core,
}) => {
  test.setTimeout(120_000);
  await actAs(core, "lena.weber@plant.example");
  const change = await core.call<{ id: string }>("change.create", {
    title: "E2E relabel Pune lots",
    type: "normal",
    area: "barcode",
    plants: ["pune"],
    environment: "production",
    requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
    implementer: { name: "Tom Fischer", email: "tom.fischer@plant.example" },
    window: { start: "2026-12-08T21:00:00Z", end: "2026-12-08T23:00:00Z" },
    validation: [],
  });
  await core.call("change.transition", { id: change.id, to: "submitted" });

  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Approvals" }).click();
  await switchTo(page, "Lena Weber");
  await page.goto(`${webApp.origin}/#/register/${change.id}`);
  const panel = page.getByTestId("change-signatures");
  await panel.getByTestId("gitops-submit").click();
  const commit = panel.getByTestId("signed-commit").first();
  await expect(commit).toContainText("Submit CHG-2026-0023");
  await expect(commit.getByTestId("signed-commit-signer")).toContainText("lena.weber@plant.example");
  await expect(commit.getByTestId("signed-commit-fingerprint")).toHaveText(/^SHA256:/);
  await expect(commit.getByTestId("signed-commit-verified")).toHaveText("verified");
});
