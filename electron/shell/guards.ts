// Pure decisions of the desktop shell, kept free of 'electron' so they run and are tested under plain Node.

/** The scheme and host the app's own pages are served from. */
export const APP_ORIGIN = "app://shiftgate";

/** Hosts `openExternal` may open (https only): documentation and the usual ticket and code hosts. */
const EXTERNAL_ALLOWLIST: readonly string[] = [
  "github.com",
  "gitlab.com",
  "www.odoo.com",
  "argo-cd.readthedocs.io",
  "fluxcd.io",
  "kubernetes.io",
];

/** What the IPC handler knows about who sent a message. */
export interface SenderInfo {
  /** webContents id of the sender. */
  readonly webContentsId: number;
  /** URL of the frame that sent it (null when the frame is gone). */
  readonly frameUrl: string | null;
  /** True when the sender is the top frame, not an iframe. */
  readonly isMainFrame: boolean;
}

/**
 * True only for the app's own window, top frame, showing an app:// page. Anything else (another
 * window, an iframe, a page that navigated away, a devtools extension) is refused.
 */
export function isTrustedSender(sender: SenderInfo, appWebContentsIds: ReadonlySet<number>): boolean {
  if (!appWebContentsIds.has(sender.webContentsId)) return false;
  if (!sender.isMainFrame || sender.frameUrl === null) return false;
  return isAppUrl(sender.frameUrl);
}

/** True when a URL is one of the app's own pages. */
function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "app:" && u.host === "shiftgate" && u.username === "" && u.password === "";
  } catch {
    return false;
  }
}

/** Navigation guard: the window may only move between the app's own pages. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** True when a link may be handed to the OS browser: https, default port, a host on the allowlist. */
export function isAllowedExternalUrl(url: string, allowlist: readonly string[] = EXTERNAL_ALLOWLIST): boolean {
  try {
    const u = new URL(url);
    return (
      u.protocol === "https:" &&
      u.port === "" &&
      u.username === "" &&
      u.password === "" &&
      allowlist.includes(u.hostname)
    );
  } catch {
    return false;
  }
}

/** Permission handler decision: the app needs no camera, microphone, geolocation, notifications prompt… */
export function decidePermission(_permission: string, _requestingUrl: string): boolean {
  return false;
}

/** Maps an app:// URL to a path inside the renderer bundle, or null when it would leave it. */
export function appUrlPath(url: string): string | null {
  if (!isAppUrl(url)) return null;
  const { pathname } = new URL(url);
  return pathname === "/" || pathname === "" ? "/index.html" : pathname;
}
