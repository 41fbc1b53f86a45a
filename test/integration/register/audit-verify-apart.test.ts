import { readdirSync, readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { fillAuditChain } from "../../helpers/audit-rows";
import { tempCore } from "../../helpers/temp";
import { waitFor } from "../../helpers/wait";

// Issue #20 item 9: a long audit verify is charged to a process of its own, in a session of its own (on Linux a
// scheduling group of its own) at a lower priority, so the door's process stays idle while it runs, and the core's
// thread answers other calls meanwhile. The core's close() ends it.

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

interface ProcessSeen {
  readonly pid: number;
  readonly session: number;
  readonly nice: number;
}

/** This process's children running the audit verify, from /proc (fields after the command's closing ")"). */
function verifyProcesses(): ProcessSeen[] {
  const seen: ProcessSeen[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, "utf8").includes("Shiftgate: audit verify")) continue;
      const fields = statFields(Number(name));
      if (Number(fields[1]) !== process.pid) continue;
      seen.push({ pid: Number(name), session: Number(fields[3]), nice: Number(fields[16]) });
    } catch {
      // The process ended while it was being read.
    }
  }
  return seen;
}

function statFields(pid: number | "self"): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

describe("audit.verify of a long chain", () => {
  it("runs in a lower-priority process in its own session, the core answers meanwhile, and close() ends it", async () => {
    const { core, cleanup } = await tempCore();
    cleanups.push(cleanup);
    fillAuditChain(core.services.register.db, 100_000, new Date("2026-12-01T08:00:00.000Z"));
    let answered = false;
    const verify = core.call("audit.verify", {}).finally(() => {
      answered = true;
    });
    await waitFor(
      () => verifyProcesses().some((p) => p.nice > getPriority()),
      "the verify's own process at a lower priority",
    );
    const [apart] = verifyProcesses();
    if (!apart) throw new Error("the verify's process ended before it was seen");
    // Held still, so it cannot finish before the core has shown it is free and has closed.
    process.kill(apart.pid, "SIGSTOP");
    cleanups.push(() => {
      for (const p of verifyProcesses()) process.kill(p.pid, "SIGKILL");
    });
    expect(apart.session).toBe(apart.pid);
    expect(apart.session).not.toBe(Number(statFields("self")[3]));

    expect(await core.call("app.status", {})).toMatchObject({ ok: true });
    expect(answered).toBe(false);

    core.close();
    // The core's close sent its end; a stopped process acts on it once it runs again.
    process.kill(apart.pid, "SIGCONT");
    await waitFor(() => verifyProcesses().length === 0, "the verify's process to end with the core");
    expect(await verify).toMatchObject({
      ok: false,
      error: { code: "unavailable", message: expect.stringMatching(/shut down before the audit chain was verified/) },
    });
  });
});
