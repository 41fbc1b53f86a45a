import { expect, keysReady, test } from "./fixtures";

test("a first run opens on home, which says no signing key is chosen and leads to choosing one", async ({
  page,
  webApp,
}) => {
  await page.goto(webApp.url);
  await expect(page.getByRole("heading", { name: "What needs me now" })).toBeVisible();
  await expect(page.getByTestId("home-me")).toContainText("No signing key selected");
  await page.getByTestId("home-me").getByRole("link", { name: "choose yours" }).click();
  await expect(page).toHaveURL(/#\/approvals$/);
  await expect(page.getByRole("heading", { name: "Signing as" })).toBeVisible();
});

test("the browser door opens the app and the status page shows real values", async ({ page, webApp }) => {
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Status" }).click();
  await expect(page.getByTestId("status-version")).toHaveText(/^\d+\.\d+\.\d+/);
  await expect(page.getByTestId("status-register")).toContainText(webApp.dataDir);
  await expect(page.getByTestId("status-schema")).toHaveText(/^[1-9]\d*$/);
  await expect(page.getByTestId("status-door")).toHaveText("Browser (127.0.0.1)");
  // The token left the address bar once read.
  expect(page.url()).not.toContain("token=");
  // Keyboard navigation: Alt+1 goes to the register (once the frame listens for it).
  await keysReady(page, "frame");
  await page.keyboard.press("Alt+1");
  await expect(page).toHaveURL(/#\/register$/);
});

test("a request without the token is refused", async ({ request, webApp }) => {
  const res = await request.post(`${webApp.origin}/api/call`, {
    data: { method: "app.status", input: {} },
    headers: { "Content-Type": "application/json" },
  });
  expect(res.status()).toBe(401);
  expect(await res.json()).toMatchObject({ ok: false, error: { code: "unauthorised" } });
  const wrong = await request.post(`${webApp.origin}/api/call`, {
    data: { method: "app.status", input: {} },
    headers: { "Content-Type": "application/json", Authorization: "Bearer not-the-token" },
  });
  expect(wrong.status()).toBe(401);
});

test("a request from another Origin is refused, even with the token", async ({ request, webApp }) => {
  const res = await request.post(`${webApp.origin}/api/call`, {
    data: { method: "app.status", input: {} },
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${webApp.token}`,
      Origin: "http://evil.example",
    },
  });
  expect(res.status()).toBe(403);
  const ok = await request.post(`${webApp.origin}/api/call`, {
    data: { method: "app.status", input: {} },
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${webApp.token}`, Origin: webApp.origin },
  });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ ok: true, value: { door: "web" } });
});

test("a page from another origin cannot call the core from the browser", async ({ page, webApp }) => {
  // A hostile page on another loopback origin tries a cross-origin call with a guessed token.
  await page.route("http://attacker.test/", (route) =>
    route.fulfill({ contentType: "text/html", body: "<html><body>attacker</body></html>" }),
  );
  await page.goto("http://attacker.test/");
  const status = await page.evaluate(async (origin) => {
    try {
      const r = await fetch(`${origin}/api/call`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: "Bearer guess" },
        body: JSON.stringify({ method: "app.status", input: {} }),
      });
      return r.status;
    } catch {
      return -1;
    }
  }, webApp.origin);
  // Either the browser blocks it (CORS preflight fails) or the server answers 403: never a result.
  expect([403, -1]).toContain(status);
});
