import { expect, test } from "./fixtures";

const CALENDAR_CHUNK = /\/assets\/calendar-page-[^/]+\.js$/;

test("the calendar's code loads on first visit, saying so while it does", async ({ page, webApp }) => {
  const requested: string[] = [];
  page.on("request", (r) => {
    requested.push(r.url());
  });
  let release = () => {};
  const held = new Promise<void>((done) => {
    release = done;
  });
  await page.route(CALENDAR_CHUNK, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(webApp.url);
  await expect(page.getByRole("heading", { name: "What needs me now" })).toBeVisible();
  // Home is up and nothing of the calendar (nor ical.js within it) was fetched.
  expect(requested.filter((u) => CALENDAR_CHUNK.test(u))).toEqual([]);
  await page.getByRole("link", { name: "Calendar" }).click();
  const loading = page.getByTestId("page-loading");
  await expect(loading).toHaveText("Loading the calendar…");
  await expect(loading).toHaveAttribute("aria-busy", "true");
  release();
  await expect(page.getByTestId("calendar-page")).toBeVisible();
  await expect(loading).toHaveCount(0);
});

test("a calendar whose code cannot be fetched says what to do instead of a blank window", async ({ page, webApp }) => {
  await page.route(CALENDAR_CHUNK, (route) => route.abort());
  await page.goto(webApp.url);
  await expect(page.getByRole("heading", { name: "What needs me now" })).toBeVisible();
  await page.getByRole("link", { name: "Calendar" }).click();
  await expect(page.getByRole("alert")).toContainText("The calendar could not be loaded. Reload the window");
  // The frame stays: the rest of the app is still one click away.
  await page.getByRole("link", { name: "Status" }).click();
  await expect(page.getByTestId("status-version")).toHaveText(/^\d+\.\d+\.\d+/);
});
