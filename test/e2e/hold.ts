import type { Page, Route } from "@playwright/test";

/** Holds every answer to `method` at the network until the returned release is called. */
export async function hold(page: Page, method: string): Promise<() => void> {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route("**/api/call", async (route: Route) => {
    const body = route.request().postDataJSON() as { method?: string };
    if (body.method === method) await held;
    await route.continue();
  });
  return release;
}
