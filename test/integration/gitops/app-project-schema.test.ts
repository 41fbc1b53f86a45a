import { readFileSync } from "node:fs";
import Ajv from "ajv";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { demoAppProjectYaml } from "../../../electron/core/gitops/app-project";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { dataPaths } from "../../../electron/core/paths";
import { ADMIN } from "../../helpers/gitops-world";
import { tempCore } from "../../helpers/temp";
import { actAs, call } from "../approvals/support";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

type Schema = { [key: string]: unknown; properties?: Record<string, Schema>; items?: Schema };

// The API server prunes fields its schema does not name: closing every object turns a silent loss into a failure.
function closed(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, closed(v)]));
    out.additionalProperties = false;
  }
  if (schema.items) out.items = closed(schema.items);
  return out;
}

const crd = parse(readFileSync(new URL("../../fixtures/argocd/appproject-crd.yaml", import.meta.url), "utf8")) as {
  spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
};
const version = crd.spec.versions.find((v) => v.name === "v1alpha1");
const validate = new Ajv({ strict: false, allErrors: true }).compile(closed(version?.schema.openAPIV3Schema ?? {}));

function problems(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe("AppProjects against Argo CD's published CRD schema (v3.5.1)", () => {
  it("the validator catches what Argo CD would drop or reject", () => {
    const project = parse(demoAppProjectYaml("odoo"));
    expect(problems(project)).toEqual([]);
    expect(
      problems({ ...project, spec: { ...project.spec, syncWindows: [{ kind: "deny", manualSync: "yes" }] } }),
    ).not.toEqual([]);
    expect(problems({ ...project, spec: { ...project.spec, syncWindows: [{ kind: "deny", tz: "UTC" }] } })).not.toEqual(
      [],
    );
  });

  it("the published AppProject of the demo validates, with every plant's windows scoped and deny windows manual", async () => {
    const t = await tempCore({});
    cleanups.push(t.cleanup);
    await startGitops(t.core.services);
    await actAs(t.core, ADMIN);
    const out = await call(t.core, "gitops.publishCalendars", {});
    expect(out).toMatchObject({ pushed: true, error: null });
    const remote = dataPaths(t.dir).gitopsDemoRemote;
    const text = (await git(isolatedGitContext(), remote, ["show", "main:apps/argocd/appproject-sync-windows.yaml"]))
      .stdout;
    const project = parse(text) as {
      spec: { syncWindows: { kind: string; applications?: string[]; manualSync?: boolean }[] };
    };
    expect(problems(project)).toEqual([]);
    expect(project.spec.syncWindows.length).toBeGreaterThan(0);
    expect(project.spec.syncWindows.every((w) => w.applications?.length === 1 && !w.applications.includes("*"))).toBe(
      true,
    );
    expect(project.spec.syncWindows.filter((w) => w.kind === "deny").every((w) => w.manualSync === true)).toBe(true);
  });
});
