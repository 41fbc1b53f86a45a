import { homedir } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fixedClock, systemClock } from "../../core/clock";
import { applyPendingConnection } from "../../core/gitops/connect";
import { defaultUserDataDir } from "../../core/paths";
import { startCoreWorker } from "../../core/worker/client";
import { loopbackHost } from "../../web/security";
import { startWebServer } from "../../web/server";
import { parseFlags, UsageError } from "../args";
import type { CliIo, ExitCode } from "../io";
import { packageVersion } from "../version";
import { chosenToken } from "./web-token";

/**
 * The built renderer (out/renderer): beside out/main when this file runs bundled (out/main/*.js), three levels up
 * from electron/cli/commands when it runs from its TypeScript source (tsx, tests).
 */
function builtRendererDir(moduleUrl: string): string {
  return fileURLToPath(new URL(moduleUrl.endsWith(".ts") ? "../../../out/renderer" : "../renderer", moduleUrl));
}

/** `shiftgate web`: serves the app on loopback until interrupted. */
export async function webCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    port: { type: "string" },
    host: { type: "string" },
    "data-dir": { type: "string" },
    static: { type: "string" },
    token: { type: "string" },
    "token-file": { type: "string" },
  });
  // Every flag is judged before the core opens: a refused door must not leave a data folder or register behind.
  const host = loopbackHost(flags.host);
  if (host === null)
    throw new UsageError(
      `--host ${flags.host} is not loopback: the browser door serves only this computer (127.0.0.1, ::1 or localhost)`,
    );
  const token = chosenToken(flags, io);
  const port = flags.port === undefined ? 0 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0..65535, not ${flags.port}`);
  const dataDir = flags["data-dir"]
    ? resolve(io.cwd, flags["data-dir"])
    : defaultUserDataDir(process.platform, io.env, homedir());
  const staticDir = flags.static ? resolve(io.cwd, flags.static) : builtRendererDir(import.meta.url);
  // SHIFTGATE_CLOCK=<ISO> pins the core's clock (demos, end-to-end tests that move time by restarting).
  const pinned = io.env.SHIFTGATE_CLOCK || undefined;
  if (pinned !== undefined && Number.isNaN(Date.parse(pinned)))
    throw new UsageError(`SHIFTGATE_CLOCK must be an RFC 3339 instant, not ${pinned}`);
  // A repository joined in the last run takes over before the register opens (the old one is archived).
  // When it cannot (a file in use), the door opens as before and tries again at the next start.
  await applyPendingConnection(dataDir, pinned === undefined ? systemClock : fixedClock(pinned)).catch(
    (error: unknown) => console.error("Joining the confirmed GitOps repository failed", error),
  );
  // The core runs in a worker thread: this thread only serves the page and forwards calls and events, so a long
  // call never stops the door answering. It syncs, checks and republishes by itself as the desktop does.
  const core = await startCoreWorker({
    core: {
      dataDir,
      appVersion: packageVersion(),
      clockAt: pinned && new Date(pinned).toISOString(),
      background: true,
    },
  });
  const server = await startWebServer({ core, staticDir, port, host, token }).catch(async (error: unknown) => {
    await core.close();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw new UsageError(`port ${port} on ${host} is in use: choose another --port (or 0 for any free one)`);
    throw error;
  });
  io.stdout(`Shiftgate is running at ${server.url}\nRegister: ${core.registerFile}\nPress Ctrl+C to stop.\n`);
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.close();
  await core.close();
  return 0;
}
