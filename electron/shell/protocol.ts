import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { net, protocol } from "electron";
import { contentSecurityPolicy } from "../web/security";
import { resolveStatic } from "../web/static-files";
import { appUrlPath } from "./guards";

/** Must run before app 'ready': app:// is a standard, secure scheme the renderer loads from. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: "app", privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
  ]);
}

/** Serves the built renderer from app://shiftgate/ with the strict CSP on every response. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle("app", async (request) => {
    const rel = appUrlPath(request.url);
    const file = rel === null ? null : resolveStatic(rendererDir, rel);
    if (file === null || !existsSync(file)) return new Response("Not found", { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set("Content-Security-Policy", contentSecurityPolicy());
    headers.set("X-Content-Type-Options", "nosniff");
    return new Response(response.body, { status: response.status, headers });
  });
}
