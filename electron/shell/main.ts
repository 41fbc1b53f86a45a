import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { app, type BrowserWindow, session, type WebContents } from "electron";
import { type Core, createCore } from "../core/core";
import { decidePermission, isAllowedNavigation } from "./guards";
import { registerIpc } from "./ipc";
import { installMenu } from "./menu";
import { registerAppScheme, serveAppProtocol } from "./protocol";
import { createMainWindow } from "./window";

// Composition root of the desktop app: the only place that builds the core for Electron.
const here = fileURLToPath(new URL(".", import.meta.url));
const outDir = join(here, "..");
let mainWindow: BrowserWindow | null = null;
let core: Core | null = null;

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on("second-instance", () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on("web-contents-created", (_event, contents) => {
    contents.on("will-attach-webview", (e) => e.preventDefault());
    contents.on("will-navigate", (e, url) => {
      if (!isAllowedNavigation(url)) e.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: "deny" }));
  });
  app.whenReady().then(start, (error: unknown) => {
    console.error("Shiftgate could not start:", error);
    app.exit(1);
  });
  app.on("window-all-closed", () => app.quit());
  app.on("will-quit", () => core?.close());
}

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(decidePermission(permission, details.requestingUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((_wc, permission, origin) => decidePermission(permission, origin));
  serveAppProtocol(join(outDir, "renderer"));
  core = await createCore({
    dataDir: app.getPath("userData"),
    appVersion: app.getVersion(),
    migrationsDir: join(here, "register", "migrations"),
    // `npm start` points this at a better-sqlite3 built for Electron's ABI; packaged apps are rebuilt in place.
    nativeBinding: app.isPackaged ? undefined : process.env.SHIFTGATE_NATIVE_BINDING,
    log: (message, error) => console.error(message, error),
  });
  const windows = (): ReadonlySet<WebContents> =>
    new Set(mainWindow && !mainWindow.isDestroyed() ? [mainWindow.webContents] : []);
  registerIpc(core, windows);
  installMenu(() => mainWindow);
  mainWindow = createMainWindow(join(outDir, "preload"));
  mainWindow.on("closed", () => {
    mainWindow = null;
  });
}
