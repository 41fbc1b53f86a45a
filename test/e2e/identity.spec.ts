import { execFileSync } from "node:child_process";
import { expect, test } from "./fixtures";

// A protected key is proved when it is chosen: the picker asks for its passphrase when the core says it needs one.

test("choosing a passphrase-protected key asks for its passphrase, refuses a wrong one, then signs in", async ({
  page,
  webApp,
  core,
}) => {
  const keys = await core.call<{ email: string; name: string; keyFile: string }[]>("identity.demoKeys", {});
  const sofia = keys.find((k) => k.email === "sofia.rossi@plant.example");
  if (!sofia) throw new Error("no demo key for Sofia");
  // The same key pair, now protected: ssh-keygen -p changes only the passphrase.
  execFileSync("ssh-keygen", ["-q", "-p", "-P", "", "-N", "sofia pass phrase", "-f", sofia.keyFile], {
    stdio: "ignore",
  });

  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Approvals" }).click();
  await page.getByTestId("identity-select").selectOption(sofia.keyFile);
  const unlock = page.getByTestId("identity-unlock");
  await expect(page.getByRole("alert")).toContainText("This key is protected by a passphrase");
  await unlock.getByLabel("Key passphrase").fill("not it");
  await unlock.getByRole("button", { name: "Unlock this key" }).click();
  await expect(page.getByRole("alert")).toContainText("The passphrase does not unlock this key");
  await expect(page.getByTestId("identity-name")).toHaveCount(0);

  await unlock.getByLabel("Key passphrase").fill("sofia pass phrase");
  await unlock.getByRole("button", { name: "Unlock this key" }).click();
  await expect(page.getByTestId("identity-name")).toHaveText(sofia.name);
  await expect(unlock).toHaveCount(0);

  // After a restart the remembered key has not signed yet: it acts for nobody until chosen again.
  await webApp.restart({});
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Approvals" }).click();
  await expect(page.getByTestId("identity-problem")).toContainText("has not seen this key sign since it started");
  await page.getByTestId("identity-select").selectOption(sofia.keyFile);
  await unlock.getByLabel("Key passphrase").fill("sofia pass phrase");
  await unlock.getByRole("button", { name: "Unlock this key" }).click();
  await expect(page.getByTestId("identity-name")).toHaveText(sofia.name);
});
