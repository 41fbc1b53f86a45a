import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { type Server, serveOn } from "./web-process";

// The demo GitOps repository is built on first run; its clock is pinned so the demo changes are where we expect.
const NOW = "2026-12-01T08:00:00Z";

async function api<T>(request: APIRequestContext, app: Server, method: string, input: unknown): Promise<T> {
  const res = await request.post(`${app.origin}/api/call`, {
    data: { method, input },
    headers: { Authorization: `Bearer ${app.token}`, Origin: app.origin },
  });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!body.ok || body.value === undefined) throw new Error(`${method}: ${body.error?.message}`);
  return body.value;
}

async function switchTo(page: Page, name: string): Promise<void> {
  const select = page.getByTestId("identity-select");
  const value = await select.locator("option", { hasText: name }).getAttribute("value");
  await select.selectOption(value ?? "");
  await expect(page.getByTestId("identity-name")).toHaveText(name);
}

test("approve a change and see its signed commit (signer, key fingerprint, verified) on the change page", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), "shiftgate-e2e-gitops-"));
  const app = await serveOn(dataDir, { SHIFTGATE_CLOCK: NOW });
  try {
    // The demo's CHG-2026-0003 (low risk, Pune) was submitted on "another laptop": sync brings it into the register.
    const synced = await api<{ imported: { number: string; changeId: string }[] }>(request, app, "gitops.sync", {});
    const id = synced.imported.find((i) => i.number.endsWith("-0003"))?.changeId ?? "";
    expect(id).not.toBe("");

    await page.goto(app.url);
    await page.getByRole("link", { name: "Approvals" }).click();
    await switchTo(page, "Sofia Rossi");
    await page.locator(`[data-testid=inbox-item][data-change-id="${id}"]`).getByRole("button").click();
    const dialog = page.getByTestId("approval-dialog");
    await expect(dialog.getByTestId("approval-digest")).toHaveText(/^sha256:[0-9a-f]{64}$/);
    await dialog.getByTestId("approval-meaning").fill("Approved for production release");
    const before = await dialog.getByTestId("approval-record").count();
    await dialog.getByTestId("approve-button").click();
    await expect(dialog.getByTestId("approval-record")).toHaveCount(before + 1);

    await page.goto(`${app.origin}/#/register/${id}`);
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
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("send a submitted change to the GitOps repository from its page and see the requester's verified commit", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), "shiftgate-e2e-gitops-"));
  const app = await serveOn(dataDir, { SHIFTGATE_CLOCK: NOW });
  try {
    const change = await api<{ id: string }>(request, app, "change.create", {
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
    await api(request, app, "change.transition", { id: change.id, to: "submitted" });

    await page.goto(app.url);
    await page.getByRole("link", { name: "Approvals" }).click();
    await switchTo(page, "Lena Weber");
    await page.goto(`${app.origin}/#/register/${change.id}`);
    const panel = page.getByTestId("change-signatures");
    await panel.getByTestId("gitops-submit").click();
    const commit = panel.getByTestId("signed-commit").first();
    await expect(commit).toContainText("Submit CHG-2026-0007");
    await expect(commit.getByTestId("signed-commit-signer")).toContainText("lena.weber@plant.example");
    await expect(commit.getByTestId("signed-commit-fingerprint")).toHaveText(/^SHA256:/);
    await expect(commit.getByTestId("signed-commit-verified")).toHaveText("verified");
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
