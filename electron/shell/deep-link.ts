// The `shiftgate://` links `shiftgate gitops notify` sends, parsed without Electron so the rules are unit-tested.

/** The scheme the desktop app registers with the OS. */
export const DEEP_LINK_SCHEME = "shiftgate";

// The whole URL is matched, not parsed leniently: a link from an e-mail or a chat is untrusted input, and only
// "open this change" is ever honoured (no query, fragment, credentials, other host or path, or encoded tricks).
const CHANGE_LINK = /^shiftgate:\/\/change\/(CHG-\d{4}-\d{4,6})\/?$/;

/** The change number a `shiftgate://change/<CHG-ID>` link names, or null for anything else. */
export function changeFromDeepLink(url: string): string | null {
  if (url.length > 100) return null;
  return CHANGE_LINK.exec(url)?.[1] ?? null;
}

/**
 * The change a launch's arguments open: Windows and Linux hand the link to the app (or the running instance's
 * `second-instance`) as an argument. Only an argument that is itself a link counts, never a flag's value.
 */
export function changeFromArgv(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) continue;
    return changeFromDeepLink(arg);
  }
  return null;
}

/** The window's hash route for a change number (the register looks the row up by number). */
export function deepLinkRoute(change: string): string {
  return `#/register/${change}`;
}
