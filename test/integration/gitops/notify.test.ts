import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { git } from "../../../electron/core/gitops/git";
import type { GitopsRepo } from "../../../electron/core/gitops/repo";
import { runCliCaptured, runShiftgate } from "../../helpers/cli";
import { createWorld, script, testChange, type World } from "../../helpers/gitops-world";
import { startSmtpSink, startWebhookReceiver } from "../../helpers/notify-sinks";

// One waiting change: high risk in Berlin needs two cab-members and Berlin's plant-ops-leader; Sofia (cab-member)
// has approved, so Raj and Kenji (cab-members) and Ana (Berlin's plant-ops-leader) can still decide.
const ID = "CHG-2026-0001";
const WAITING = ["ana.ortiz@plant.example", "kenji.sato@plant.example", "raj.patel@plant.example"];
const T0 = Date.parse("2026-12-02T08:00:00Z");
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();

let world: World;
let repo: GitopsRepo;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
let config: string;
const env = () => ({
  ...process.env,
  HOOK_URL: `${hooks.url}/hook`,
  HOOK_TOKEN: "t0ken",
  SMTP_PASSWORD: "s3cret",
});

beforeAll(async () => {
  world = await createWorld();
  repo = await world.clone("ci");
  const s = script(world, repo);
  const { digest } = await s.submit(testChange(ID));
  await s.decide(ID, digest, "sofia.rossi@plant.example", "cab-member");
  smtp = await startSmtpSink({ user: "cab@plant.example", pass: "s3cret" });
  hooks = await startWebhookReceiver();
  config = join(world.dir, "notify.yaml");
  writeFileSync(
    config,
    `links: { browser: "https://cab.plant.example/" }
reminders: { every: 24h }
windows: { leadTime: 12h }
targets:
  - { name: mail, type: email, host: 127.0.0.1, port: ${smtp.port}, tls: none, from: "Shiftgate <cab@plant.example>", user: cab@plant.example, passwordEnv: SMTP_PASSWORD }
  - { name: slack, type: slack, url: "${hooks.url}/slack" }
  - { name: teams, type: teams, url: "${hooks.url}/teams" }
  - { name: hook, type: webhook, urlEnv: HOOK_URL, tokenEnv: HOOK_TOKEN }
`,
  );
}, 120_000);

afterAll(async () => {
  await smtp?.close();
  await hooks?.close();
  world?.cleanup();
});

const notify = (now: string, extra: string[] = []) =>
  runCliCaptured(["gitops", "notify", "--repo", repo.dir, "--config", config, "--now", now, ...extra], { env: env() });
const hooksAt = (path: string) => hooks.received.filter((h) => h.path === path);

describe("shiftgate gitops notify", () => {
  it("sends each waiting decision once to every approver who can still decide and to every channel", async () => {
    const run = await notify(at(0));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(smtp.mails.flatMap((m) => m.to).sort()).toEqual(WAITING);
    for (const m of smtp.mails) {
      expect(m.user).toBe("cab@plant.example");
      expect(m.raw).toContain(`shiftgate://change/${ID}`);
      expect(m.raw).toContain(`https://cab.plant.example/#/register/${ID}`);
    }
    // Sofia approved, Lena requested, Tom implements: none of them is asked.
    expect(smtp.mails.some((m) => m.to.includes("sofia.rossi@plant.example"))).toBe(false);
    expect(hooksAt("/slack")).toHaveLength(1);
    expect(String(hooksAt("/slack")[0]?.body.text)).toContain(`<shiftgate://change/${ID}|Open in Shiftgate>`);
    expect(hooksAt("/teams")).toHaveLength(1);
    expect(JSON.stringify(hooksAt("/teams")[0]?.body)).toContain("application/vnd.microsoft.card.adaptive");
    const hook = hooksAt("/hook")[0];
    expect(hook?.authorization).toBe("Bearer t0ken");
    expect(hook?.body).toMatchObject({
      kind: "decision",
      change: ID,
      reminder: false,
      links: { desktop: `shiftgate://change/${ID}`, browser: `https://cab.plant.example/#/register/${ID}` },
    });
    expect(((hook?.body.recipients ?? []) as { email: string }[]).map((r) => r.email).sort()).toEqual(WAITING);
  });

  it("sends nothing twice after a restart: a new process rereads the state from the notes ref", async () => {
    const mails = smtp.mails.length;
    const received = hooks.received.length;
    // The real binary in its own process (synchronous: were it to send, the sinks here could not answer and it fails).
    const run = runShiftgate(["gitops", "notify", "--repo", repo.dir, "--config", config, "--now", at(1)], {
      env: env(),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("0 message(s) sent, 6 not due yet");
    expect(smtp.mails).toHaveLength(mails);
    expect(hooks.received).toHaveLength(received);
    const note = await git(world.ctx, repo.dir, ["notes", "--ref=refs/notes/shiftgate-notify", "list"]);
    expect(note.stdout.trim()).not.toBe("");
  });

  it("reminds at the configured interval, not before", async () => {
    const mails = smtp.mails.length;
    expect((await notify(at(23.9))).code).toBe(0);
    expect(smtp.mails).toHaveLength(mails);
    expect((await notify(at(24))).code).toBe(0);
    const reminders = smtp.mails.slice(mails);
    expect(reminders.flatMap((m) => m.to).sort()).toEqual(WAITING);
    expect(reminders.every((m) => /Subject: Reminder: \[Shiftgate\] Decision waiting/.test(m.raw))).toBe(true);
    expect(hooksAt("/hook").at(-1)?.body.reminder).toBe(true);
    expect(hooksAt("/slack")).toHaveLength(2);
  });

  it("reports a refusing target, exits 1, and retries it next run without resending what the others took", async () => {
    hooks.refuse.add("/teams");
    const mails = smtp.mails.length;
    const slack = hooksAt("/slack").length;
    const failed = await notify(at(48));
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/FAILED teams decision\/CHG-2026-0001: the webhook answered HTTP 500/);
    expect(failed.stdout).toContain("Target(s) teams failed");
    expect(smtp.mails).toHaveLength(mails + 3);
    expect(hooksAt("/slack")).toHaveLength(slack + 1);
    hooks.refuse.delete("/teams");
    const teams = hooksAt("/teams").length;
    const retried = await notify(at(48.5));
    expect(retried.code).toBe(0);
    expect(hooksAt("/teams")).toHaveLength(teams + 1);
    expect(smtp.mails).toHaveLength(mails + 3);
    expect(hooksAt("/slack")).toHaveLength(slack + 1);
  });

  it("tells the implementer and requester when the window is close, once", async () => {
    // The window opens 2026-12-05T22:00Z; with a 12h lead time it is close from 10:00Z.
    const before = smtp.mails.length;
    await notify("2026-12-05T09:59:00Z");
    const early = smtp.mails.slice(before);
    expect(early.some((m) => m.raw.includes("Change window starting soon"))).toBe(false);
    await notify("2026-12-05T10:00:00Z");
    const windowMails = smtp.mails.filter((m) => m.raw.includes("Change window starting soon"));
    expect(windowMails.flatMap((m) => m.to).sort()).toEqual(["lena.weber@plant.example", "tom.fischer@plant.example"]);
    await notify("2026-12-05T11:00:00Z");
    expect(smtp.mails.filter((m) => m.raw.includes("Change window starting soon"))).toHaveLength(2);
  });

  it("--dry-run sends nothing and leaves the state as it was", async () => {
    const before = await git(world.ctx, repo.dir, ["rev-parse", "refs/notes/shiftgate-notify"]);
    const mails = smtp.mails.length;
    const received = hooks.received.length;
    const run = await notify(at(200), ["--dry-run", "--json"]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { deliveries: { status: string }[] };
    expect(out.deliveries.filter((d) => d.status === "would-send")).toHaveLength(6);
    expect(smtp.mails).toHaveLength(mails);
    expect(hooks.received).toHaveLength(received);
    expect((await git(world.ctx, repo.dir, ["rev-parse", "refs/notes/shiftgate-notify"])).stdout).toBe(before.stdout);
  });
});
