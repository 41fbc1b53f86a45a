import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort, startSshGitHost } from "../../helpers/ssh-git-host";

// The loopback Git host finds a free port by a probe and hands it to sshd. When another process takes the port in
// between (a second test run on the machine, an outgoing connection), the host must start on another port instead
// of failing the test that needed it. Here the first probe answers with a port that is already taken.
let taken: Server;
let takenPort: number;
beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  const address = taken.address();
  if (typeof address !== "object" || address === null) throw new Error("no port");
  takenPort = address.port;
});
afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
});

it("starts on another port when the probed one is taken before sshd binds it", async () => {
  const probed: number[] = [];
  const probe = async () => {
    // First the taken port, then one the kernel hands out.
    const port = probed.length === 0 ? takenPort : await freePort();
    probed.push(port);
    return port;
  };
  const host = await startSshGitHost(probe);
  try {
    expect(probed.length).toBe(2);
    expect(probed[0]).toBe(takenPort);
    expect(host.port).toBe(probed[1]);
    // The host really answers on the second port, with the host key its known_hosts names.
    const out = execFileSync("ssh-keyscan", ["-p", String(host.port), "-t", "ed25519", "127.0.0.1"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    expect(out).toContain(`[127.0.0.1]:${host.port}`);
  } finally {
    await host.stop();
  }
});

it("gives up with sshd's own words when every probe is taken", async () => {
  let calls = 0;
  await expect(
    startSshGitHost(async () => {
      calls++;
      return takenPort;
    }),
  ).rejects.toThrow(/Address already in use/);
  expect(calls).toBe(5);
});
