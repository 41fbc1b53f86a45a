import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { git } from "../../../electron/core/gitops/git";
import type { GitopsRepo } from "../../../electron/core/gitops/repo";
import { pushBranch } from "../../../electron/core/gitops/repo";
import { writeException, writeReview } from "../../../shared/domain/policy/index";
import { runCliCaptured } from "../../helpers/cli";
import { createWorld, script, testChange, type World } from "../../helpers/gitops-world";
import { startSmtpSink, startWebhookReceiver } from "../../helpers/notify-sinks";

// An emergency released at 22:30Z on Dec 5: its retrospective review is due within 48h, by a cab-member or
// change-manager who is neither its requester (Lena), implementer (Tom) nor logger (Raj).
const ID = "CHG-2026-0002";
const REVIEWERS = ["kenji.sato@plant.example", "olivia.brown@plant.example", "sofia.rossi@plant.example"];
const REF = "refs/notes/shiftgate-notify";

let world: World;
let repo: GitopsRepo;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
let config: string;

beforeAll(async () => {
  world = await createWorld();
  repo = await world.clone("ci");
  const s = script(world, repo);
  const { digest } = await s.submit(testChange(ID, { type: "emergency" }));
  await s.write(
    "raj.patel@plant.example",
    `changes/${ID}/exception.yaml`,
    writeException({
      change: ID,
      justification: "Scanners reject lot numbers; shipping stopped",
      incident: "INC-1",
      breakGlass: { start: "2026-12-05T22:00:00Z", end: "2026-12-06T01:00:00Z" },
      loggedBy: { name: "Raj Patel", email: "raj.patel@plant.example", role: "it-manager" },
      loggedAt: "2026-12-05T21:50:00Z",
    }),
  );
  await s.decide(ID, digest, "kenji.sato@plant.example", "it-manager");
  await s.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader");
  await s.release(ID, "2026-12-05T22:30:00Z");
  await pushBranch(repo);
  hooks = await startWebhookReceiver();
  config = join(world.dir, "notify.yaml");
  writeFileSync(
    config,
    `links: { browser: "http://127.0.0.1:7000" }
reminders: { every: 12h }
windows: { leadTime: 1h }
targets:
  - { name: reviews, type: webhook, url: "${hooks.url}/reviews", kinds: [review-due, review-overdue] }
  - { name: windows-only, type: slack, url: "${hooks.url}/windows", kinds: [window] }
`,
  );
}, 120_000);

afterAll(async () => {
  await hooks?.close();
  world?.cleanup();
});

const notify = (dir: string, now: string, extra: string[] = []) =>
  runCliCaptured(["gitops", "notify", "--repo", dir, "--config", config, "--now", now, ...extra]);
const bodies = () => hooks.received.map((h) => h.body);
const noteOf = async (dir: string) =>
  (await git(world.ctx, dir, ["rev-parse", "--verify", "--quiet", REF], { okCodes: [1] })).stdout.trim();

describe("gitops notify: retrospective reviews, and the state across CI runs", () => {
  it("a refused config names every bad field, sends nothing and writes no state", async () => {
    const bad = join(world.dir, "bad.yaml");
    writeFileSync(
      bad,
      `links: { browser: "ftp://cab" }
reminders: { every: 10s }
windows: { leadTime: 1h }
targets:
  - { name: Mail, type: email, host: smtp, port: 70000, tls: maybe, from: a@b.c, password: hunter2 }
  - { name: chat, type: slack }
`,
    );
    const run = await runCliCaptured([
      "gitops",
      "notify",
      "--repo",
      repo.dir,
      "--config",
      bad,
      "--now",
      "2026-12-06T00:00:00Z",
    ]);
    expect(run.code).toBe(2);
    for (const field of [
      "links.browser",
      "reminders.every",
      "targets.0.name",
      "targets.0.port",
      "targets.0.tls",
      'targets.0: Unrecognized key: "password"',
      "targets.1.url: give exactly one of url or urlEnv",
    ])
      expect(run.stderr).toContain(field);
    expect(hooks.received).toEqual([]);
    expect(await noteOf(repo.dir)).toBe("");
  });

  it("a secret named in the config but missing from the environment stops the run before anything is sent", async () => {
    const needsEnv = join(world.dir, "env.yaml");
    writeFileSync(
      needsEnv,
      readFileSync(config, "utf8").replace(`url: "${hooks.url}/windows"`, "urlEnv: SLACK_WEBHOOK_URL"),
    );
    const run = await runCliCaptured(
      ["gitops", "notify", "--repo", repo.dir, "--config", needsEnv, "--now", "2026-12-06T00:00:00Z"],
      { env: { ...process.env, SLACK_WEBHOOK_URL: undefined } },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("environment variable SLACK_WEBHOOK_URL, which is not set");
    expect(hooks.received).toEqual([]);
    expect(await noteOf(repo.dir)).toBe("");
  });

  it("a review due and then overdue is sent to the reviewers who may review it, and only to the targets that take it", async () => {
    const due = await notify(repo.dir, "2026-12-06T00:00:00Z", ["--push"]);
    expect(due.code, due.stdout + due.stderr).toBe(0);
    expect(bodies()).toHaveLength(1);
    expect(bodies()[0]).toMatchObject({ kind: "review-due", change: ID, due: "2026-12-07T22:30:00.000Z" });
    expect(((bodies()[0]?.recipients ?? []) as { email: string }[]).map((r) => r.email).sort()).toEqual(REVIEWERS);
    expect(hooks.received.every((h) => h.path === "/reviews")).toBe(true);
    // The state travelled with --push: the remote holds the notes ref.
    const remoteRef = await git(world.ctx, world.remote, ["rev-parse", REF]);
    expect(remoteRef.stdout.trim()).toBe(await noteOf(repo.dir));
  });

  it("a new CI checkout (a fresh clone, --push) reads the pushed state and sends nothing twice", async () => {
    const fresh = await world.clone("ci-2");
    expect(await noteOf(fresh.dir)).toBe("");
    const run = await notify(fresh.dir, "2026-12-06T01:00:00Z", ["--push"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(bodies()).toHaveLength(1);
    const overdue = await notify(fresh.dir, "2026-12-07T22:31:00Z", ["--push"]);
    expect(overdue.code).toBe(0);
    expect(bodies()).toHaveLength(2);
    expect(bodies()[1]).toMatchObject({ kind: "review-overdue", change: ID, reminder: false });
  });

  it("a shallow clone is refused (verify needs the whole history): nothing sent, no state", async () => {
    const shallow = join(world.dir, "shallow");
    await git(world.ctx, world.dir, ["clone", "--quiet", "--depth", "1", `file://${world.remote}`, shallow]);
    const received = hooks.received.length;
    const run = await notify(shallow, "2026-12-08T00:00:00Z");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is a shallow clone; verify needs the whole history (fetch-depth: 0)");
    expect(hooks.received).toHaveLength(received);
    expect(await noteOf(shallow)).toBe("");
  });

  it("an SMTP server that refuses the login or cannot be reached fails its target by name; the others still send", async () => {
    const smtp = await startSmtpSink({ user: "cab@plant.example", pass: "right" });
    try {
      const mixed = join(world.dir, "mixed.yaml");
      writeFileSync(
        mixed,
        `${readFileSync(config, "utf8")}  - { name: mail, type: email, host: 127.0.0.1, port: ${smtp.port}, tls: none, from: cab@plant.example, user: cab@plant.example, passwordEnv: SMTP_PASSWORD }
  - { name: dead-mail, type: email, host: 127.0.0.1, port: 9, tls: none, from: cab@plant.example }
`,
      );
      const file = join(world.dir, "mixed-state.json");
      const received = hooks.received.length;
      const run = await runCliCaptured(
        [
          "gitops",
          "notify",
          "--repo",
          repo.dir,
          "--config",
          mixed,
          "--now",
          "2026-12-08T00:00:00Z",
          "--state-file",
          file,
        ],
        { env: { ...process.env, SMTP_PASSWORD: "wrong" } },
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/FAILED mail review-overdue\/CHG-2026-0002 to \S+: Invalid login/);
      expect(run.stdout).toMatch(/FAILED dead-mail review-overdue\/CHG-2026-0002 to \S+: .*ECONNREFUSED/);
      expect(run.stdout).toContain("Target(s) mail, dead-mail failed");
      expect(smtp.mails).toEqual([]);
      expect(hooks.received).toHaveLength(received + 1);
      // Only what was taken is recorded: the e-mails are due again next run.
      const sent = Object.keys((JSON.parse(readFileSync(file, "utf8")) as { sent: object }).sent);
      expect(sent).toEqual([`reviews|review-overdue/${ID}`]);
    } finally {
      await smtp.close();
    }
  });

  it("a state file (for a CI cache) is kept between runs; a review that arrived ends the reminders", async () => {
    const file = join(world.dir, "cache", "notify-state.json");
    const before = bodies().length;
    const first = await notify(repo.dir, "2026-12-08T00:00:00Z", ["--state-file", file]);
    expect(first.code).toBe(0);
    expect(bodies()).toHaveLength(before + 1);
    expect(existsSync(file)).toBe(true);
    expect(await notify(repo.dir, "2026-12-08T06:00:00Z", ["--state-file", file])).toMatchObject({ code: 0 });
    expect(bodies()).toHaveLength(before + 1);
    await script(world, repo).write(
      "sofia.rossi@plant.example",
      `changes/${ID}/review.yaml`,
      writeReview({
        change: ID,
        outcome: "accepted",
        notes: "fine",
        reviewer: { name: "Sofia Rossi", email: "sofia.rossi@plant.example", role: "cab-member" },
        reviewedAt: "2026-12-08T07:00:00Z",
      }),
      [],
      new Date("2026-12-08T07:00:00Z"),
    );
    const after = await notify(repo.dir, "2026-12-09T00:00:00Z", ["--state-file", file]);
    expect(after.stdout).toContain("0 item(s) waiting");
    expect(bodies()).toHaveLength(before + 1);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ version: 1, sent: {} });
  });
});
