import { switchTo } from "./approvals-ui";
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
