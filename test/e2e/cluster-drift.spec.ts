import { execFileSync } from "node:child_process";
import { demoDigest } from "../../electron/core/gitops/demo-policy";
import { argoApplication, argoProject, odooDeployment, writeKubeconfig } from "../helpers/kube-fixtures";
import type { KubeServer } from "../helpers/kube-server";
import { numbered } from "./core-setup";
import { type CoreApi, expect, test, type WebApp } from "./fixtures";

// Drift is judged against the demo GitOps repository the app builds on first run: its approved production
// releases pin registry.plant.example/odoo by digest (name:tag@digest, as kustomize renders them); the test API server
// runs one of them and one tag nobody approved.
const IMAGE = "registry.plant.example/odoo";
const APPROVED_TAG = `17.0-20261120@${demoDigest("17.0-20261120")}`; // the demo's released change CHG-<year>-0001
const UNAPPROVED = `${IMAGE}:17.0-20261126-manual`;

// Both tests run their Odoo applications under Argo CD's "odoo" project.
test.beforeEach(({ kube }) => {
  kube.store.put("appprojects", argoProject({ name: "odoo" }));
});

/** Git in the demo's working copy, with no user or system configuration of this machine. */
function gitIn(workingCopy: string, args: readonly string[]): string {
  return execFileSync("git", args, {
    cwd: workingCopy,
    env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
    encoding: "utf8",
  }).trim();
}

/** The demo's release commit of its first change: an approved production revision Argo CD may run. */
function approvedRevision(workingCopy: string): string {
  return gitIn(workingCopy, ["log", "-1", "--format=%H", `--grep=^Release CHG-[0-9]*-0001 `]);
}

/** Connects the app to the test API server through a kubeconfig file, watching production's odoo-prod. */
async function connectProduction(core: CoreApi, webApp: WebApp, kube: KubeServer): Promise<void> {
  const kubeconfig = writeKubeconfig(webApp.dataDir, { server: kube.url, token: kube.token });
  await core.call("cluster.configure", {
    kubeconfig: { kind: "file", path: kubeconfig },
    environments: [
      {
        name: "production",
        context: "plant",
        namespaces: ["odoo-prod"],
        argocd: { context: "plant", namespace: "argocd" },
      },
    ],
  });
}

test("shows production synced and healthy beside an image no approved change explains, also on home", async ({
  page,
  webApp,
  core,
  kube,
}) => {
  // Idempotent: keeps the repository first run already built, builds it when first run did not.
  const demo = await core.call<{ workingCopy: string }>("gitops.createDemo", {});
  const revision = approvedRevision(demo.workingCopy);
  expect(revision).toMatch(/^[0-9a-f]{40}$/);

  kube.store.put(
    "deployments",
    odooDeployment({ namespace: "odoo-prod", name: "odoo-web", image: `${IMAGE}:${APPROVED_TAG}` }),
  );
  kube.store.put(
    "deployments",
    odooDeployment({ namespace: "odoo-prod", name: "odoo-worker", role: "worker", image: UNAPPROVED }),
  );
  kube.store.put(
    "applications",
    argoApplication({
      name: "odoo-prod",
      destinationNamespace: "odoo-prod",
      revision,
      images: [`${IMAGE}:${APPROVED_TAG}`],
    }),
  );
  await connectProduction(core, webApp, kube);

  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Cluster" }).click();
  const production = page.getByTestId("cluster-env-production");
  await expect(production).toHaveAttribute("data-state", "ok", { timeout: 20_000 });
  const app = production.getByTestId("cluster-app-odoo-prod");
  await expect(app).toHaveAttribute("data-sync", "Synced");
  await expect(app).toHaveAttribute("data-health", "Healthy");
  await expect(production.getByTestId("cluster-deployment-odoo-prod-odoo-web")).toHaveAttribute(
    "data-available",
    "true",
  );

  const drift = production.getByTestId("cluster-drift-odoo-worker-image");
  await expect(drift).toHaveAttribute("data-running", UNAPPROVED, { timeout: 20_000 });
  await expect(drift).toHaveAttribute("data-approved", new RegExp(`^${IMAGE.replaceAll(".", "\\.")}:17\\.0-`));
  expect(await drift.getAttribute("data-approved")).not.toBe(UNAPPROVED);
  await expect(drift).toContainText(`running ${UNAPPROVED}, approved ${IMAGE}:`);
  // The approved image and the approved revision are not drift.
  await expect(production.getByTestId("cluster-drift-odoo-web-image")).toHaveCount(0);
  await expect(production.getByTestId("cluster-drift-odoo-prod-revision")).toHaveCount(0);

  await page.getByRole("link", { name: "Home" }).click();
  const home = page.getByTestId("home-drift");
  await expect(home.locator(".home-count")).toHaveText("1");
  await expect(home).toContainText("production: odoo-prod/odoo-worker");
  await expect(home).toContainText(UNAPPROVED);
});

test("a release synced, healthy and rolled out closes its change, with the reason in its audit trail", async ({
  page,
  webApp,
  core,
  kube,
}) => {
  const demo = await core.call<{ workingCopy: string }>("gitops.createDemo", {});
  // The demo register and repository tell the same story: the emergency hotfix is numbered in both, and sync
  // brings nothing new.
  const synced = await core.call<{ imported: unknown[] }>("gitops.sync", {});
  expect(synced.imported).toEqual([]);
  const hotfix = await numbered(core, "-0005");
  // It went out while implementing: its release commit is the last one touching production, so it waits for
  // post-release validation.
  const imported = await core.call<{ status: string }>("change.get", { id: hotfix.changeId });
  expect(imported.status).toBe("implementing");
  const head = gitIn(demo.workingCopy, ["rev-parse", "HEAD"]);
  // As kustomize renders the demo's digest pin: the tag for people, the digest that runs.
  const hotfixImage = `${IMAGE}:17.0-20261127-hotfix1@${demoDigest("17.0-20261127-hotfix1")}`;
  for (const name of ["odoo-web", "odoo-worker"]) {
    kube.store.put(
      "deployments",
      odooDeployment({
        namespace: "odoo-prod",
        name,
        role: name === "odoo-web" ? "web" : "worker",
        image: hotfixImage,
      }),
    );
  }
  // Argo CD follows the branch head: commits after the release that leave production alone still run it.
  kube.store.put(
    "applications",
    argoApplication({ name: "odoo-prod", destinationNamespace: "odoo-prod", revision: head, images: [hotfixImage] }),
  );
  await connectProduction(core, webApp, kube);

  await page.goto(webApp.url);
  await page.getByRole("link", { name: "Cluster" }).click();
  await expect(page.getByTestId("cluster-env-production")).toHaveAttribute("data-state", "ok", { timeout: 20_000 });
  await page.goto(`${webApp.origin}/#/register/${hotfix.changeId}`);
  await expect(page.getByTestId("change-status")).toHaveText("closed", { timeout: 20_000 });
  await expect(
    page.getByText(/Post-release validation of release [0-9a-f]{12} passed: Release [0-9a-f]{12} is synced, healthy/),
  ).toBeVisible();
});
