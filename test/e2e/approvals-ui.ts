import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

/** Switches identity with the demo key of a person, as a user would in the identity switcher. */
export async function switchTo(page: Page, name: string): Promise<void> {
  const select = page.getByTestId("identity-select");
  const value = await select.locator("option", { hasText: name }).getAttribute("value");
  await select.selectOption(value ?? "");
  await expect(page.getByTestId("identity-name")).toHaveText(name);
}

/**
 * Opens a change from the approvals inbox and approves it with this meaning: the dialog shows the digest being
 * signed first, and one more signature record after. Leaves the dialog open.
 */
export async function approveFromInbox(page: Page, changeId: string, meaning: string): Promise<void> {
  await page.locator(`[data-testid=inbox-item][data-change-id="${changeId}"]`).getByRole("button").click();
  const dialog = page.getByTestId("approval-dialog");
  await expect(dialog.getByTestId("approval-digest")).toHaveText(/^sha256:[0-9a-f]{64}$/);
  await dialog.getByTestId("approval-meaning").fill(meaning);
  const signatures = await dialog.getByTestId("approval-record").count();
  await dialog.getByTestId("approve-button").click();
  await expect(dialog.getByTestId("approval-record")).toHaveCount(signatures + 1);
}
