import { fixedClock } from "../../electron/core/clock";
import type { DemoGitops } from "../../electron/core/gitops/demo";
import { createDemoGitops } from "../../electron/core/gitops/demo-install";
import { git } from "../../electron/core/gitops/git";
import { readChange } from "../../electron/core/gitops/writes";
import { assignChangeNumber } from "../../electron/core/register/change-ops";
import type { ChangeDetail, ChangeStatus } from "../../shared/contract/index";
import type { ClusterEnvironments, EnvironmentView } from "../../shared/contract/methods/cluster";
import { promoteToPreproduction } from "./demo-release";
import { evidenceMove } from "./evidence-move";
import { argoApplication, odooDeployment, writeKubeconfig } from "./kube-fixtures";
import { type KubeServer, startKubeServer } from "./kube-server";
import { releaseChange } from "./ledger-writes";
import { tempCore } from "./temp";

// Post-release validation through the core as the app wires it: the demo GitOps repository (real, signed history) in
// the data folder, the register's changes, and the test API server playing production. Reading the cluster view
// judges each release and moves its change through the register's own transition, audited.
export const RELEASE_NOW = new Date("2026-12-01T08:00:00Z");
export const ODOO_IMAGE = "registry.plant.example/odoo";
const MIN = 60_000;

export interface ReleaseWorld {
  readonly clock: ReturnType<typeof fixedClock>;
  readonly kube: KubeServer;
  readonly core: Awaited<ReturnType<typeof tempCore>>;
  readonly demo: DemoGitops;
  /** Register id by CHG number. */
  readonly ids: Map<string, string>;
  call<T>(method: string, input: unknown): Promise<T>;
  /** The production column of a fresh cluster view (reading it settles the releases it judged). */
  production(): Promise<EnvironmentView>;
  change(number: string): Promise<ChangeDetail>;
  releaseOf(number: string): Promise<string>;
  head(): Promise<string>;
  /** Makes production run `revision` with `image`, Argo CD reporting `health`. */
  runs(revision: string, health: "Healthy" | "Progressing" | "Degraded", image: string, ready?: number): void;
  /** A register change walked to `status` along the emergency path, numbered as its repository change. */
  registerChange(number: string, status: "implementing" | "validating"): Promise<void>;
  /**
   * Releases a demo change to production an hour into its approved window (an authorised release), promoted through
   * pre-production first; returns the release commit, the image it runs and its window's end (the deadline).
   */
  releaseInWindow(number: string, tag: string): Promise<{ sha: string; image: string; windowEnd: string }>;
  close(): Promise<void>;
}

/** Starts the world: a core with the demo repository, a kube stand-in, production configured. */
export async function startReleaseWorld(): Promise<ReleaseWorld> {
  const clock = fixedClock(RELEASE_NOW);
  const kube = await startKubeServer();
  const core = await tempCore({ clock, demo: false });
  const demo = await createDemoGitops(core.dir, clock);
  const ids = new Map<string, string>();
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const result = await core.core.call(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value as T;
  };
  const kubeconfig = writeKubeconfig(core.dir, { server: kube.url, token: kube.token });
  await call("cluster.configure", {
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
  return {
    clock,
    kube,
    core,
    demo,
    ids,
    call,
    production: async () => {
      const view = await call<ClusterEnvironments>("cluster.environments", { refresh: true });
      const env = view.environments.find((e) => e.name === "production");
      if (!env) throw new Error("no production environment");
      return env;
    },
    change: (number) => call<ChangeDetail>("change.get", { id: ids.get(number) }),
    releaseOf: async (number) =>
      (
        await git(demo.repo.ctx, demo.repo.dir, ["log", "-1", "--format=%H", `--grep=^Release ${number} `])
      ).stdout.trim(),
    head: async () => (await git(demo.repo.ctx, demo.repo.dir, ["rev-parse", "HEAD"])).stdout.trim(),
    runs: (revision, health, image, ready = 2) => {
      kube.store.put(
        "applications",
        argoApplication({ name: "odoo-prod", destinationNamespace: "odoo-prod", revision, health, images: [image] }),
      );
      for (const name of ["odoo-web", "odoo-worker"]) {
        kube.store.put(
          "deployments",
          odooDeployment({
            namespace: "odoo-prod",
            name,
            role: name === "odoo-web" ? "web" : "worker",
            image,
            ready,
            progressing:
              ready < 2 ? (health === "Degraded" ? "ProgressDeadlineExceeded" : "ReplicaSetUpdated") : undefined,
          }),
        );
      }
    },
    registerChange: async (number, status) => {
      const created = await call<ChangeDetail>("change.create", {
        title: `Release ${number}`,
        type: "emergency",
        area: "barcode",
        plants: ["pune"],
        environment: "production",
        requester: { name: "Priya Nair", email: "priya.nair@plant.example" },
        window: {
          start: new Date(RELEASE_NOW.getTime() - 7 * 24 * 60 * MIN).toISOString(),
          end: RELEASE_NOW.toISOString(),
        },
      });
      const path = ["submitted", "awaiting-approval", "approved", "implementing", "validating"];
      // Approval, release and validation follow from evidence (the demo repository's signed history): the fixture
      // makes those moves as the core's capabilities would; the door may not.
      for (const to of path.slice(0, path.indexOf(status) + 1)) {
        if (to === "submitted" || to === "awaiting-approval") await call("change.transition", { id: created.id, to });
        else evidenceMove(core.core, created.id, to as ChangeStatus);
      }
      const db = core.core.services.register.db;
      const env = {
        db,
        now: RELEASE_NOW,
        actor: "priya.nair@plant.example",
        door: "direct" as const,
        newId: () => "01JAAAAAAAAAAAAAAAAAAAAAAA",
        roles: () => [],
        audit: () => undefined,
      };
      db.transaction(() => assignChangeNumber(env, { id: created.id, number }))();
      ids.set(number, created.id);
    },
    releaseInWindow: async (number, tag) => {
      const window = readChange(demo.repo, number).change.window;
      const inWindow = Date.parse(window.start) + 60 * MIN;
      clock.set(new Date(inWindow));
      const tom = demo.signers.get("tom.fischer@plant.example");
      if (!tom) throw new Error("missing demo signer");
      // Production takes only a digest pre-production ran: the image moves qa -> preproduction -> production.
      const digest = await promoteToPreproduction(demo.repo, tom, number, tag, new Date(inWindow - 6 * MIN));
      const sha = await releaseChange(demo.repo, tom, {
        change: number,
        environment: "production",
        image: ODOO_IMAGE,
        newTag: tag,
        digest,
        date: new Date(inWindow - 5 * MIN),
      });
      return { sha, image: `${ODOO_IMAGE}:${tag}@${digest}`, windowEnd: window.end };
    },
    close: async () => {
      await kube.close();
      core.cleanup();
    },
  };
}
