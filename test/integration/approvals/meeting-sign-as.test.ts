import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { keyFingerprint } from "../../../electron/core/identity/ssh-key";
import { dataPaths } from "../../../electron/core/paths";
import type { CallResult } from "../../../shared/contract/index";
import { type Doors, openDoors, refusedAtEveryDoor } from "../../helpers/doors";
import { demoLaptops, type Laptops } from "../../helpers/laptops";
import { tempCore, tempDir } from "../../helpers/temp";
import { actAs, call, changeAwaitingApproval, who } from "./support";

// Issue #20 item 2: a CAB meeting signed an attendee's decision by switching the laptop's identity to their key and
// back, so another window acting in between acted with the attendee's key. The signer is now passed to the decision
// for that call (decideAs). To catch a call "in between" without timing, the record signature of the decision is
// held at a gate: an ssh-keygen on PATH that waits for the test's word before it runs the real one.

const ctx = isolatedGitContext();
const CHAIR = who("olivia").email;
const SOFIA = who("sofia").email;

/** Holds the first record signature (namespace shiftgate-record) until released; every other ssh-keygen runs at once. */
interface SigningGate {
  /** Resolves when a record signature is waiting at the gate. */
  readonly reached: Promise<void>;
  release(): void;
  close(): void;
}

async function signingGate(): Promise<SigningGate> {
  const { dir, cleanup } = tempDir("shiftgate-gate-");
  const socketPath = join(dir, "gate.sock");
  const real = execFileSync("sh", ["-c", "command -v ssh-keygen"], { encoding: "utf8" }).trim();
  // A node script named ssh-keygen: it asks the test's socket before a record signature, then runs the real tool.
  writeFileSync(
    join(dir, "ssh-keygen"),
    `#!${process.execPath}
const { spawnSync } = require("node:child_process");
const args = process.argv.slice(2);
const run = () => process.exit(spawnSync(${JSON.stringify(real)}, args, { stdio: "inherit" }).status ?? 1);
if (!args.includes("shiftgate-record")) run();
else require("node:net").connect(${JSON.stringify(socketPath)}).on("data", run).on("error", run);
`,
    { mode: 0o755 },
  );
  let released = false;
  const waiting: Socket[] = [];
  let reachedNow: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    reachedNow = resolve;
  });
  const server: Server = createServer((socket) => {
    if (released) socket.end("go");
    else {
      waiting.push(socket);
      reachedNow();
    }
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const path = process.env.PATH;
  process.env.PATH = `${dir}:${path ?? ""}`;
  const release = () => {
    released = true;
    for (const s of waiting.splice(0)) s.end("go");
  };
  return {
    reached,
    release,
    close: () => {
      release();
      process.env.PATH = path;
      server.close();
      cleanup();
    },
  };
}

let world: Laptops | null = null;
let doors: Doors | null = null;
let gate: SigningGate | null = null;
afterEach(async () => {
  gate?.close();
  gate = null;
  await doors?.close();
  doors = null;
  world?.cleanup();
  world = null;
});

function value<T>(result: CallResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe("a CAB meeting signs as the attendee without switching the laptop's identity", () => {
  it("another door acting while the decision is in flight acts as the chair; the commit is the attendee's", async () => {
    world = await demoLaptops(1);
    const core = world.cores[0] as Core;
    const dir = core.services.dataDir;
    await world.holdKey(core, who("lena").email);
    const changeId = await changeAwaitingApproval(core);
    const { number } = await call(core, "gitops.submit", { changeId });
    await world.holdKey(core, CHAIR);
    const meeting = await call(core, "meeting.start", { attendees: [CHAIR, SOFIA] });
    doors = await openDoors(core, dir);
    const sofiaKey = join(dataPaths(dir).keys, `${SOFIA}.key`);

    gate = await signingGate();
    // The chair's window signs for Sofia, who is in the room.
    const deciding = doors.ipc("meeting.decide", {
      id: meeting.id,
      changeId,
      decision: "approved",
      keyFile: sofiaKey,
      meaning: "Approved at the weekly CAB",
    });
    const finishedEarly = deciding.then((r) => {
      throw new Error(`meeting.decide finished before signing: ${JSON.stringify(r)}`);
    });
    await Promise.race([gate.reached, finishedEarly]);

    // In flight: Sofia's record signature waits at the gate. The browser window is still the chair's.
    const current = value<{ email: string | null }>(await doors.web("identity.current", {}));
    expect(current.email).toBe(CHAIR);
    const comment = await doors.web("change.comment", { id: changeId, body: "Asked during the meeting." });
    expect(comment.ok, JSON.stringify(comment)).toBe(true);
    const db = core.services.register.db;
    const commentActor = db
      .prepare("SELECT actor FROM audit WHERE action = 'change.comment' ORDER BY seq DESC LIMIT 1")
      .pluck()
      .get();
    expect(commentActor).toBe(CHAIR);

    gate.release();
    finishedEarly.catch(() => undefined);
    const decided = value<{ items: { changeId: string; decisions: { by: { email: string } }[] }[] }>(await deciding);
    const item = decided.items.find((i) => i.changeId === changeId);
    expect(item?.decisions.map((d) => d.by.email)).toEqual([SOFIA]);
    // After the meeting decision the laptop is the chair's as it was: nothing was switched and switched back.
    expect(await call(core, "identity.current", {})).toMatchObject({ known: true, email: CHAIR });
    const switches = db.prepare("SELECT count(*) FROM audit WHERE action = 'identity.use' AND actor = ?").pluck();
    expect(switches.get(SOFIA)).toBe(0);

    // The approval is Sofia's signed commit, by git's own judgement against the repository's allowed signers.
    const work = core.services.gitopsDir ?? "";
    const signers = join(work, ".shiftgate", "allowed_signers");
    const log = await git(ctx, work, [
      "-c",
      `gpg.ssh.allowedSignersFile=${signers}`,
      "log",
      "-1",
      "--format=%G?%x09%GS%x09%GK%x09%ae",
      "--",
      `changes/${number}/approvals/${SOFIA}--deploy.yaml`,
    ]);
    expect(log.stdout.trim().split("\t")).toEqual(["G", SOFIA, keyFingerprint(sofiaKey), SOFIA]);
    // The decision's push runs in the background: one more round waits for it, so nothing writes into the test's
    // folders after the test.
    await call(core, "gitops.push", {});
  });
});

describe("a CAB meeting signature for someone not in the room", () => {
  it("is refused at every door with nothing changed, and the laptop keeps the chair's key", async () => {
    const made = await tempCore({ demo: false });
    try {
      const core = made.core;
      const changeId = await changeAwaitingApproval(core);
      await actAs(core, CHAIR);
      const meeting = await call(core, "meeting.start", { attendees: [CHAIR, SOFIA] });
      const keys = await call(core, "identity.demoKeys", {});
      const marcus = keys.find((k) => k.email === who("marcus").email)?.keyFile ?? "";
      doors = await openDoors(core, made.dir);
      await refusedAtEveryDoor(
        core,
        doors,
        "meeting.decide",
        { id: meeting.id, changeId, decision: "approved", keyFile: marcus },
        { code: "forbidden", message: /not recorded as present at this meeting/ },
      );
      expect(await call(core, "identity.current", {})).toMatchObject({ known: true, email: CHAIR });
    } finally {
      await doors?.close();
      doors = null;
      made.cleanup();
    }
  });
});
