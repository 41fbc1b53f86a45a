import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { approvedFromRepo } from "../../../electron/core/cluster/approved-from-repo";
import type { ApprovedEnvironment } from "../../../electron/core/cluster/drift";
import { clusterHandlers } from "../../../electron/core/cluster/handlers";
import { judgeRelease } from "../../../electron/core/cluster/release-judge";
import { createDispatcher, type Handlers } from "../../../electron/core/dispatch";
import type { GitopsRepo } from "../../../electron/core/gitops/repo";
import type { ClusterEnvironments, EnvironmentView } from "../../../shared/contract/methods/cluster";
import { createWorld, script, testChange, type World } from "../../helpers/gitops-world";
import { argoApplication, odooDeployment, writeKubeconfig } from "../../helpers/kube-fixtures";
import { type KubeServer, startKubeServer } from "../../helpers/kube-server";
import { tempCore } from "../../helpers/temp";

// A real, signed GitOps repository (the gitops test world) beside the test API server: drift and post-release
// validation compare what runs with what the repository's approved releases allow.
const ID = "CHG-2026-0001";
const NOW = new Date("2026-12-06T08:00:00Z");
const IMAGE = "registry.plant.example/odoo";

describe("drift and post-release validation against a real GitOps repository", () => {
  let world: World;
  let repo: GitopsRepo;
  let s: ReturnType<typeof script>;
  let kube: KubeServer;
  let core: Awaited<ReturnType<typeof tempCore>>;
  let release: string;
  let approved: ApprovedEnvironment | null = null;
  const clock = fixedClock(NOW);

  const view = async (): Promise<EnvironmentView> => {
    const dispatch = createDispatcher({
      handlers: clusterHandlers(core.core.services, {
        live: false,
        // Asynchronous like the real wiring (approvedFromRepo reads git).
        approved: async (env) => (env === "production" ? approved : null),
        // The register's "validating" change, as the wiring will hand it over.
        pendingReleases: async (env) =>
          env === "production"
            ? [
                {
                  changeId: ID,
                  application: "odoo-prod",
                  revision: release,
                  images: [`${IMAGE}:17.0-2`],
                  deadline: "2026-12-06T09:00:00Z",
                },
              ]
            : [],
      }) as unknown as Handlers,
      clock,
    });
    const result = await dispatch("cluster.environments", { refresh: true });
    if (!result.ok) throw new Error(result.error.message);
    const prod = (result.value as ClusterEnvironments).environments[0];
    if (!prod) throw new Error("no production environment");
    return prod;
  };

  beforeAll(async () => {
    world = await createWorld("ssh");
    repo = await world.clone("cluster");
    s = script(world, repo);
    const { digest } = await s.submit(testChange(ID));
    await s.decide(ID, digest, "raj.patel@plant.example", "cab-member");
    await s.decide(ID, digest, "kenji.sato@plant.example", "cab-member");
    await s.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader");
    release = await s.release(ID); // sets the production tag to 17.0-2

    kube = await startKubeServer();
    core = await tempCore({ clock });
    const kubeconfig = writeKubeconfig(core.dir, {
      server: kube.url,
      token: kube.token,
      contexts: [{ name: "plant" }],
    });
    kube.store.put(
      "deployments",
      odooDeployment({ namespace: "odoo-prod", name: "odoo-web", image: `${IMAGE}:17.0-2` }),
    );
    kube.store.put(
      "applications",
      argoApplication({ name: "odoo-prod", destinationNamespace: "odoo-prod", revision: release }),
    );
    const dispatch = createDispatcher({
      handlers: clusterHandlers(core.core.services, { live: false }) as unknown as Handlers,
      clock,
    });
    await dispatch("cluster.configure", {
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
  });

  afterAll(async () => {
    await kube?.close();
    core?.cleanup();
    world?.cleanup();
  });

  it("reads the approved images and revisions of production from the verified history", async () => {
    approved = await approvedFromRepo({ ctx: world.ctx, dir: repo.dir, environment: "production", now: NOW });
    expect(approved.images).toEqual([
      { image: `${IMAGE}:17.0-1`, changeId: "root of trust" },
      { image: `${IMAGE}:17.0-2`, changeId: ID },
    ]);
    expect(approved.revisions.at(-1)).toEqual({ revision: release, changeId: ID });
  });

  it("passes post-release validation and shows no drift when the cluster runs the approved release", async () => {
    const prod = await view();
    expect(prod.drift).toEqual([]);
    const app = prod.applications.find((a) => a.name === "odoo-prod") ?? null;
    const verdict = judgeRelease(
      app,
      prod.deployments,
      { revision: release, images: [`${IMAGE}:17.0-2`] },
      new Date("2026-12-06T09:00:00Z"),
      NOW,
    );
    expect(verdict).toMatchObject({ state: "passed" });
    expect(prod.pendingReleases).toEqual([
      expect.objectContaining({
        changeId: ID,
        state: "passed",
        reason: null,
        message: expect.stringContaining("rolled out"),
      }),
    ]);
  });

  it("flags an image set by hand in the cluster, with the approved one beside it", async () => {
    kube.store.put(
      "deployments",
      odooDeployment({ namespace: "odoo-prod", name: "odoo-web", image: `${IMAGE}:17.0-hotfix` }),
    );
    const prod = await view();
    expect(prod.drift).toEqual([
      expect.objectContaining({
        kind: "image",
        name: "odoo-web",
        running: `${IMAGE}:17.0-hotfix`,
        approved: `${IMAGE}:17.0-2`,
      }),
    ]);
  });

  it("flags a revision released without a change reference, and fails the release it replaced", async () => {
    const unreferenced = await s.release(null, "2026-12-05T23:00:00Z"); // 17.0-3, no Change-Request: verify rejects it
    approved = await approvedFromRepo({ ctx: world.ctx, dir: repo.dir, environment: "production", now: NOW });
    expect(approved.images.map((i) => i.image)).not.toContain(`${IMAGE}:17.0-3`);
    kube.store.put(
      "deployments",
      odooDeployment({ namespace: "odoo-prod", name: "odoo-web", image: `${IMAGE}:17.0-3` }),
    );
    kube.store.put("applications", {
      ...argoApplication({ name: "odoo-prod", destinationNamespace: "odoo-prod", revision: unreferenced }),
      status: {
        ...(argoApplication({ name: "odoo-prod", destinationNamespace: "odoo-prod", revision: unreferenced })
          .status as object),
        history: [
          { id: 1, revision: release, deployedAt: "2026-12-05T22:31:00Z" },
          { id: 2, revision: unreferenced, deployedAt: "2026-12-05T23:01:00Z" },
        ],
      },
    });
    const prod = await view();
    expect(prod.drift.map((d) => [d.kind, d.running, d.approved])).toEqual([
      ["image", `${IMAGE}:17.0-3`, `${IMAGE}:17.0-2`],
      ["revision", unreferenced, release],
    ]);
    const app = prod.applications[0] ?? null;
    expect(judgeRelease(app, prod.deployments, release, new Date("2026-12-06T09:00:00Z"), NOW)).toMatchObject({
      state: "failed",
      reason: "other-revision",
    });
    expect(prod.pendingReleases).toEqual([
      expect.objectContaining({ changeId: ID, state: "failed", reason: "other-revision" }),
    ]);
  });
});
