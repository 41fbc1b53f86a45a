import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { tempDir } from "./temp";

/** A real Git host on loopback: Debian's sshd serving bare repositories to one user key. */
export interface SshGitHost {
  readonly port: number;
  /** The user sshd logs in (the current user). */
  readonly user: string;
  /** The ssh:// URL of a bare repository on disk. */
  url(bareRepo: string): string;
  /** GIT_SSH_COMMAND for a client with this key and known_hosts (defaults: the accepted user key, the host's key known). */
  sshCommand(options?: { readonly key?: string; readonly knownHosts?: string }): string;
  /** A known_hosts file holding this host's key. */
  readonly knownHosts: string;
  /** An empty known_hosts file: the host is unknown. */
  readonly emptyKnownHosts: string;
  /** The user key sshd accepts, and one it does not. */
  readonly userKey: string;
  readonly strangerKey: string;
  stop(): Promise<void>;
}

/**
 * Starts /usr/sbin/sshd with its own sshd_config, throwaway host and user keys, AuthorizedKeysFile and
 * StrictModes no; nothing of the machine's ssh configuration is read or touched. Run as root (containers), sshd
 * insists on its privilege-separation folder /run/sshd: it then runs in a private mount namespace whose /run is an
 * empty tmpfs, so the host's /run is never touched either.
 */
export async function startSshGitHost(probe: () => Promise<number> = freePort): Promise<SshGitHost> {
  const { dir, cleanup } = tempDir("shiftgate-sshd-");
  const key = (name: string) => {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", join(dir, name)]);
    return join(dir, name);
  };
  const hostKey = key("host_key");
  const userKey = key("user_key");
  const strangerKey = key("stranger_key");
  writeFileSync(join(dir, "authorized_keys"), execFileSync("cat", [`${userKey}.pub`]));
  const user = execFileSync("id", ["-un"], { encoding: "utf8" }).trim();
  const config = join(dir, "sshd_config");
  const knownHosts = join(dir, "known_hosts");
  const hostPub = execFileSync("cat", [`${hostKey}.pub`], { encoding: "utf8" })
    .split(" ")
    .slice(0, 2)
    .join(" ");
  const emptyKnownHosts = join(dir, "known_hosts.empty");
  writeFileSync(emptyKnownHosts, "");
  // The free port is found by a probe, then handed to sshd: between the two, another process (a second test run on
  // the machine, any outgoing connection) can take it. sshd then fails to bind and exits; a new port is tried.
  let started: { port: number; child: ChildProcess } | undefined;
  for (let attempt = 1; started === undefined; attempt++) {
    const port = await probe();
    writeFileSync(config, sshdConfig(port, hostKey, dir));
    writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPub}\n`);
    const child = spawnSshd(config);
    try {
      await listening(child);
      started = { port, child };
    } catch (error) {
      if (attempt >= 5 || !(error instanceof BindError)) {
        cleanup();
        throw error;
      }
    }
  }
  const { port, child } = started;
  const sshCommand = (options: { readonly key?: string; readonly knownHosts?: string } = {}) =>
    [
      "ssh",
      "-F /dev/null",
      `-i ${options.key ?? userKey}`,
      "-o IdentitiesOnly=yes",
      "-o BatchMode=yes",
      "-o StrictHostKeyChecking=yes",
      `-o UserKnownHostsFile=${options.knownHosts ?? knownHosts}`,
      "-o GlobalKnownHostsFile=/dev/null",
    ].join(" ");
  return {
    port,
    user,
    url: (bare) => `ssh://${user}@127.0.0.1:${port}${bare}`,
    sshCommand,
    knownHosts,
    emptyKnownHosts,
    userKey,
    strangerKey,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      cleanup();
    },
  };
}

function sshdConfig(port: number, hostKey: string, dir: string): string {
  return [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
    "StrictModes no",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    "PermitRootLogin prohibit-password",
    `PidFile ${join(dir, "sshd.pid")}`,
    "LogLevel INFO",
    "",
  ].join("\n");
}

function spawnSshd(config: string): ChildProcess {
  const sshd = ["/usr/sbin/sshd", "-D", "-e", "-f", config];
  return process.getuid?.() === 0
    ? spawn("unshare", [
        "-m",
        "sh",
        "-c",
        'mount -t tmpfs tmpfs /run && mkdir -p /run/sshd && exec "$@"',
        "sh",
        ...sshd,
      ])
    : spawn(sshd[0] as string, sshd.slice(1));
}

/** sshd could not listen on its port: someone took it after the probe. */
class BindError extends Error {}

// sshd -e logs to stderr; "Server listening" means it accepts connections.
function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    child.stderr?.on("data", (b: Buffer) => {
      log += b.toString("utf8");
      if (log.includes("Server listening")) resolve();
    });
    child.once("exit", (code) => {
      const message = `sshd exited (${code}): ${log}`;
      reject(/Address already in use|Cannot bind any address/.test(log) ? new BindError(message) : new Error(message));
    });
    child.once("error", reject);
  });
}

/** A port the kernel hands out on loopback, free when it answers (another process may take it after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
