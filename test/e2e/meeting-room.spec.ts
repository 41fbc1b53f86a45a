import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "./fixtures";

const SHOTS = join(process.cwd(), "test/e2e/screenshots");
const SOFIA = "sofia.rossi@plant.example";
const KENJI = "kenji.sato@plant.example";

// Meeting rooms run the app on a projector in the dark theme.
test.use({ colorScheme: "dark" });

test("a CAB meeting decided by mouse: typing d in the notes defers nothing, the edited meaning is what is signed", async ({
  page,
  webApp,
  core,
}) => {
  mkdirSync(SHOTS, { recursive: true });
  await core.call("meeting.start", { horizonDays: 14, attendees: [SOFIA, KENJI] });
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "CAB meeting", exact: true }).first().click();
  const item = page.getByTestId("meeting-item");
  await expect(item).toContainText("EDI 856");

  // The buttons are on screen as the item opens, at both room sizes.
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expect(item.getByTestId("item-actions").getByRole("button", { name: /Approve/ })).toBeInViewport();
    await page.screenshot({ path: join(SHOTS, `meeting-room-${width}x${height}.png`) });
  }

  // The notes box keeps every letter it is given: "d" (defer), "a" (approve) and "r" (reject) are just text there.
  const notes = page.getByTestId("item-notes");
  await notes.click();
  await page.keyboard.type("dock doors ready; carrier agreed");
  await expect(notes).toHaveValue("dock doors ready; carrier agreed");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByTestId("item-decisions")).not.toContainText("DEFERRED");
  await expect(page.getByTestId("agenda-item-0")).not.toContainText(/deferred/i);

  // Approve by mouse, with the meaning the room words: the default is there to edit.
  await item
    .getByTestId("item-actions")
    .getByRole("button", { name: /Approve/ })
    .click();
  const dialog = page.getByTestId("sign-dialog");
  const meaning = dialog.getByTestId("sign-meaning");
  await expect(meaning).toHaveValue(/^Approved at /);
  await dialog.getByRole("button", { name: /Sofia Rossi/ }).click();
  const worded = "Approved at the CAB once the carrier has confirmed the new labels";
  await meaning.fill(worded);
  await dialog.getByRole("button", { name: /^Sign/ }).click();
  await expect(page.getByTestId("item-decisions")).toContainText("APPROVED by Sofia Rossi");
  await expect(page.getByTestId("item-decisions")).toContainText(`“${worded}”`);
  // What the core recorded on the change's approval is the edited meaning.
  const changeId = (await page.getByTestId("decision-open-change").getAttribute("href"))?.split("/").pop() ?? "";
  const preview = await core.call<{ approvals: { signature: { email: string; meaning: string } }[] }>(
    "approval.preview",
    { changeId: changeId.replace(/\?.*$/, "") },
  );
  expect(preview.approvals.map((a) => [a.signature.email, a.signature.meaning])).toContainEqual([SOFIA, worded]);

  // Reject the next item by mouse, the meaning left as pre-filled.
  await page.getByTestId("agenda-item-1").getByRole("button").click();
  await expect(item).toContainText("MRP lead time");
  await item
    .getByTestId("item-actions")
    .getByRole("button", { name: /Reject/ })
    .click();
  await expect(meaning).toHaveValue(/^Rejected at /);
  await dialog.getByRole("button", { name: /Kenji Sato/ }).click();
  await dialog.getByRole("button", { name: /^Sign/ }).click();
  await expect(page.getByTestId("item-decisions")).toContainText("REJECTED by Kenji Sato");

  // Defer the third by mouse.
  await page.getByTestId("agenda-item-2").getByRole("button").click();
  await expect(item).toContainText("MRP reorder rules");
  await item.getByTestId("item-actions").getByRole("button", { name: /Defer/ }).click();
  await page.getByTestId("defer-reason").fill("Wait for the planner's reorder study");
  await page
    .getByRole("dialog")
    .getByRole("button", { name: /^Defer/ })
    .click();
  await expect(page.getByTestId("item-decisions")).toContainText("DEFERRED");
  await expect(page.getByTestId("agenda-item-0")).toContainText(/approved/i);
  await expect(page.getByTestId("agenda-item-1")).toContainText(/rejected/i);
  await expect(page.getByTestId("agenda-item-2")).toContainText(/deferred/i);
});
