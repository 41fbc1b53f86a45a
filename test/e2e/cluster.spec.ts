import { argoApplication, argoProject, odooDeployment, writeKubeconfig } from "../helpers/kube-fixtures";
import type { KubeServer } from "../helpers/kube-server";
import { expect, test, type WebApp } from "./fixtures";

// The Kubernetes API is the one stand-in: the test API server runs in this process and the app reaches it through
// a real kubeconfig file, exactly as it would reach a plant's cluster.
const ENVS = ["development", "integration", "qa", "preproduction", "production"] as const;

test.beforeEach(({ kube }) => {
  for (const [i, name] of ENVS.entries()) {
    const image = `registry.example.com/odoo:17.0-2026112${i}`;
    kube.store.put("deployments", odooDeployment({ namespace: `odoo-${name}`, name: "odoo-web", image }));
    kube.store.put(
      "deployments",
      odooDeployment({ namespace: `odoo-${name}`, name: "odoo-worker", role: "worker", image }),
    );
    kube.store.put("applications", argoApplication({ name: `odoo-${name}`, destinationNamespace: `odoo-${name}` }));
  }
  kube.store.put("appprojects", argoProject({ name: "odoo" }));
});

/** A kubeconfig file in the app's data folder with one context, "plant", on the test API server. */
function plantKubeconfig(webApp: WebApp, kube: KubeServer): string {
  return writeKubeconfig(webApp.dataDir, { server: kube.url, token: kube.token, contexts: [{ name: "plant" }] });
}

test("connects through the form and shows production synced, healthy and rolled out", async ({
  page,
  webApp,
  kube,
}) => {
  const kubeconfig = plantKubeconfig(webApp, kube);
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Cluster" }).click();
  const setup = page.getByTestId("cluster-setup");
  await expect(setup).toBeVisible();
  await setup.getByLabel("A file:").check();
  await setup.getByLabel("Kubeconfig file path").fill(kubeconfig);
  await setup.getByRole("button", { name: "Read contexts" }).click();
  await expect(setup.getByTestId("cluster-contexts-found")).toHaveText("1 context found");
  for (const name of ENVS) await expect(setup.getByLabel(`${name} context`, { exact: true })).toHaveValue("plant");
  await setup.getByRole("button", { name: "Save connection" }).click();

  const envs = page.locator('section[data-testid^="cluster-env-"]');
  await expect(envs).toHaveCount(5);
  expect(await envs.evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")))).toEqual(
    ENVS.map((n) => `cluster-env-${n}`),
  );
  const production = page.getByTestId("cluster-env-production");
  await expect(production).toHaveAttribute("data-state", "ok");
  const app = production.getByTestId("cluster-app-odoo-production");
  await expect(app).toHaveAttribute("data-sync", "Synced");
  await expect(app).toHaveAttribute("data-health", "Healthy");
  const web = production.getByTestId("cluster-deployment-odoo-production-odoo-web");
  await expect(web).toHaveAttribute("data-available", "true");
  await expect(web).toContainText("2/2 ready");
  await expect(web).toContainText("17.0-20261124");
  await expect(production.getByTestId("cluster-sync-window")).toContainText("Sync allowed now");
  await expect(production.getByTestId("cluster-errors")).toHaveCount(0);
});

test("a cluster that does not answer shows in its environment only, with the retry", async ({
  page,
  webApp,
  request,
  kube,
}) => {
  const kubeconfig = plantKubeconfig(webApp, kube);
  const configured = await request.post(`${webApp.origin}/api/call`, {
    headers: { Authorization: `Bearer ${webApp.token}`, Origin: webApp.origin },
    data: {
      method: "cluster.configure",
      input: {
        kubeconfig: { kind: "file", path: kubeconfig },
        environments: ENVS.map((name) => ({
          name,
          context: "plant",
          namespaces: [`odoo-${name}`],
          argocd: { context: "plant", namespace: "argocd" },
        })),
      },
    },
  });
  expect(await configured.json()).toMatchObject({ ok: true });
  kube.inject({ kind: "hang" }, { path: "/namespaces/odoo-qa/deployments", times: 100 });
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Cluster" }).click();
  const qa = page.getByTestId("cluster-env-qa");
  await expect(qa).toHaveAttribute("data-state", "partial", { timeout: 20_000 });
  await expect(qa.getByTestId("cluster-errors")).toContainText(/cluster not answering — retrying in \d+ s/);
  await expect(qa).toContainText("Unknown while the deployments cannot be read.");
  await expect(page.getByTestId("cluster-env-production")).toHaveAttribute("data-state", "ok");
  await expect(page.getByTestId("cluster-env-development")).toHaveAttribute("data-state", "ok");
});

test("a cluster slower to answer than the page's poll still shows: the poll joins the read under way, never restarts it", async ({
  page,
  webApp,
  kube,
}) => {
  const kubeconfig = plantKubeconfig(webApp, kube);
  // The page's timers are the test's: the 10 s poll fires when the test says, whatever the machine's load.
  await page.clock.install();
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Cluster" }).click();
  const setup = page.getByTestId("cluster-setup");
  await setup.getByLabel("A file:").check();
  await setup.getByLabel("Kubeconfig file path").fill(kubeconfig);
  await setup.getByRole("button", { name: "Read contexts" }).click();
  await expect(setup.getByTestId("cluster-contexts-found")).toHaveText("1 context found");

  // Every read of the environments from here on is held at the network, as a slow cluster holds it.
  let reads = 0;
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route("**/api/call", async (route) => {
    if ((route.request().postDataJSON() as { method?: string }).method === "cluster.environments") {
      reads++;
      await held;
    }
    await route.continue();
  });
  await setup.getByRole("button", { name: "Save connection" }).click();
  await expect.poll(() => reads).toBeGreaterThan(0);
  // The read the save's event asked for is under way; the poll comes round twice meanwhile and starts none.
  await page.clock.runFor(25_000);
  expect(reads).toBe(1);
  release();
  await expect(page.locator('section[data-testid^="cluster-env-"]')).toHaveCount(5);
  await expect(page.getByTestId("cluster-env-production")).toHaveAttribute("data-state", "ok");
});
