// Command-line arguments of the desktop app, parsed without Electron so the rules are unit-tested.
import { PAGES } from "../../shared/domain/app/pages";

/** What a launch asks for. */
interface LaunchArgs {
  /** `--user-data-dir=DIR`: a second profile (its own register, GitOps working copy and settings). */
  readonly userDataDir: string | null;
  /** `--page=ID`: open on a page (register, calendar, approvals, meeting, ...). */
  readonly page: string | null;
}

const PAGE_IDS: ReadonlySet<string> = new Set(PAGES.map((p) => p.id));

/** Parses the app's own flags; Chromium's and unknown ones are ignored, bad values are dropped. */
export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  let userDataDir: string | null = null;
  let page: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, null];
    const value = inline ?? (argv[i + 1]?.startsWith("--") ? null : (argv[i + 1] ?? null));
    if (flag === "--user-data-dir" && value) {
      userDataDir = value;
      if (inline === null) i++;
    } else if (flag === "--page" && value) {
      page = PAGE_IDS.has(value) ? value : null;
      if (inline === null) i++;
    }
  }
  return { userDataDir, page };
}

/** What the running instance does when a second launch hands it its arguments: focus, and maybe go to a page. */
export function secondInstanceAction(argv: readonly string[]): { readonly focus: true; readonly page: string | null } {
  return { focus: true, page: parseLaunchArgs(argv).page };
}
