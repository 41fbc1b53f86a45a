import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { dataPaths } from "../../../electron/core/paths";
import { testChange } from "../../helpers/gitops-world";
import { setupGitopsRepo, submitChange } from "../../helpers/ledger-writes";
import { tempCore, tempDir } from "../../helpers/temp";
import { call, changeAwaitingApproval, refused } from "../approvals/support";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const ctx = isolatedGitContext();
const keyOf = (dir: string, email: string) => join(dataPaths(dir).keys, `${email}.key`);

async function laptop() {
  const t = await tempCore({});
  cleanups.push(t.cleanup);
  await startGitops(t.core.services);
  return t;
}

describe("gitops.submit", () => {
  it("numbers the change, commits change.yaml signed by its requester and pushes it", async () => {
    const a = await laptop();
    const id = await changeAwaitingApproval(a.core);
    await call(a.core, "identity.use", { keyFile: keyOf(a.dir, "tom.fischer@plant.example") });
    expect((await refused(a.core, "gitops.submit", { changeId: id })).code).toBe("forbidden");
    await call(a.core, "identity.use", { keyFile: keyOf(a.dir, "lena.weber@plant.example") });
    const out = await call(a.core, "gitops.submit", { changeId: id });
    expect(out).toMatchObject({ number: "CHG-2026-0023", pushed: true, error: null });
    const remote = dataPaths(a.dir).gitopsDemoRemote;
    const onRemote = await git(ctx, remote, ["log", "-1", "--format=%ce %s", "main", "--", "changes/CHG-2026-0023"]);
    expect(onRemote.stdout).toContain("lena.weber@plant.example Submit CHG-2026-0023");
    expect((await refused(a.core, "gitops.submit", { changeId: id })).code).toBe("conflict");
    const sigs = await call(a.core, "gitops.changeSignatures", { change: id });
    expect(sigs.commits[0]).toMatchObject({ verified: true, signer: { email: "lena.weber@plant.example" } });
  });

  it("when another laptop took the number first, the push renumbers and the register follows", async () => {
    const a = await laptop();
    const id = await changeAwaitingApproval(a.core);
    const other = tempDir();
    cleanups.push(other.cleanup);
    const b = await setupGitopsRepo({ source: dataPaths(a.dir).gitopsDemoRemote, dir: join(other.dir, "work"), ctx });
    const { id: _ignored, ...draft } = testChange("CHG-2026-0023");
    const lena = { name: "Lena Weber", email: "lena.weber@plant.example" };
    const taken = await submitChange(
      b,
      { ...lena, key: { format: "ssh", keyFile: keyOf(a.dir, lena.email) } },
      { ...draft, requester: lena },
      { clock: fixedClock("2026-12-01T08:00:00Z") },
    );
    expect(taken.id).toBe("CHG-2026-0023");

    await call(a.core, "identity.use", { keyFile: keyOf(a.dir, lena.email) });
    const out = await call(a.core, "gitops.submit", { changeId: id });
    expect(out).toMatchObject({ number: "CHG-2026-0024", pushed: true });
    const row = a.core.services.register.db.prepare("SELECT number FROM changes WHERE id = ?").get(id) as {
      number: string;
    };
    expect(row.number).toBe("CHG-2026-0024");
    const outbox = await call(a.core, "gitops.outbox", {});
    expect(outbox.recent[0]).toMatchObject({ kind: "submission", change: "CHG-2026-0024", state: "pushed" });
  });
});
