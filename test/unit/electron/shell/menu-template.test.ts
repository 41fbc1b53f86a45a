import type { MenuItemConstructorOptions } from "electron";
import { describe, expect, it } from "vitest";
import { menuTemplate } from "../../../../electron/shell/menu-template";
import { PAGES } from "../../../../shared/domain/app/pages";

// Default accelerators of the roles the menu uses, per Electron's lib/browser/api/menu-item-roles.ts; the
// submenu roles expand to these items (fileMenu: close on macOS, quit elsewhere; windowMenu: minimize, close).
const ROLE_KEYS: Record<string, (mac: boolean) => string | null> = {
  hide: (mac) => (mac ? "Command+H" : null),
  hideOthers: (mac) => (mac ? "Command+Alt+H" : null),
  quit: (mac) => (mac ? "CommandOrControl+Q" : "Ctrl+Q"),
  close: () => "CommandOrControl+W",
  undo: () => "CommandOrControl+Z",
  redo: (mac) => (mac ? "Shift+CommandOrControl+Z" : "Control+Y"),
  cut: () => "CommandOrControl+X",
  copy: () => "CommandOrControl+C",
  paste: () => "CommandOrControl+V",
  pasteAndMatchStyle: (mac) => (mac ? "Shift+CommandOrControl+V" : null),
  selectAll: () => "CommandOrControl+A",
  minimize: () => "CommandOrControl+M",
  reload: () => "CmdOrCtrl+R",
  forceReload: () => "Shift+CmdOrCtrl+R",
  toggleDevTools: (mac) => (mac ? "Alt+Command+I" : "Ctrl+Shift+I"),
  resetZoom: () => "CommandOrControl+0",
  zoomIn: () => "CommandOrControl+Plus",
  zoomOut: () => "CommandOrControl+-",
  togglefullscreen: (mac) => (mac ? "Control+Command+F" : "F11"),
};
const EXPANDS: Record<string, readonly string[]> = {
  appMenu: ["hide", "hideOthers", "quit"],
  fileMenu: ["close", "quit"],
  editMenu: ["undo", "redo", "cut", "copy", "paste", "pasteAndMatchStyle", "selectAll"],
  windowMenu: ["minimize", "close"],
};

/** One key combination as a canonical string: CmdOrCtrl resolved for the platform, modifiers sorted. */
function canonical(accelerator: string, mac: boolean): string {
  const parts = accelerator.split("+").map((p) => {
    const k = p.toLowerCase();
    if (k === "commandorcontrol" || k === "cmdorctrl") return mac ? "cmd" : "ctrl";
    if (k === "command" || k === "cmd") return "cmd";
    if (k === "control") return "ctrl";
    if (k === "option") return "alt";
    return k;
  });
  const key = parts.pop() ?? "";
  return [...parts.sort(), key].join("+");
}

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

function shortcuts(items: readonly MenuItemConstructorOptions[], mac: boolean): { what: string; keys: string }[] {
  const out: { what: string; keys: string }[] = [];
  for (const item of flatten(items)) {
    const roles = item.role ? (EXPANDS[item.role] ?? [item.role]) : [];
    for (const role of roles) {
      const keys = ROLE_KEYS[role]?.(mac);
      if (keys) out.push({ what: `role ${role}`, keys: canonical(keys, mac) });
    }
    if (item.accelerator) out.push({ what: String(item.label), keys: canonical(String(item.accelerator), mac) });
  }
  return out;
}

describe("native menu", () => {
  for (const platform of ["darwin", "linux", "win32"] as const) {
    it(`gives no two items the same shortcut on ${platform}`, () => {
      const mac = platform === "darwin";
      const all = shortcuts(menuTemplate({ platform, packaged: false, go: () => {} }), mac);
      const seen = new Map<string, string>();
      const clashes: string[] = [];
      for (const { what, keys } of all) {
        const first = seen.get(keys);
        // The same role listed in two submenus (close) is one command, not a clash.
        if (first !== undefined && first !== what) clashes.push(`${keys}: ${first} and ${what}`);
        seen.set(keys, first ?? what);
      }
      expect(clashes).toEqual([]);
      expect(seen.get(canonical("CommandOrControl+0", mac))).toBe("role resetZoom");
    });
  }

  it("opens every page with the same Alt+digit as the window's navigation, and new change and search", () => {
    const opened: string[] = [];
    const items = flatten(menuTemplate({ platform: "linux", packaged: true, go: (r) => opened.push(r) }));
    const click = (label: string) => {
      const item = items.find((i) => i.label === label);
      if (!item?.click) throw new Error(`no menu item "${label}"`);
      (item.click as () => void)();
    };
    for (const page of PAGES) {
      const item = items.find((i) => i.label === page.label);
      expect(item?.accelerator, page.label).toBe(`Alt+${page.key}`);
      click(page.label);
    }
    click("New change");
    click("Search changes");
    expect(opened).toEqual([...PAGES.map((p) => p.id), "register/new", "register?search=1"]);
  });

  it("offers reload and developer tools only in development builds", () => {
    const roles = (packaged: boolean) =>
      flatten(menuTemplate({ platform: "linux", packaged, go: () => {} })).map((i) => i.role);
    expect(roles(false)).toEqual(expect.arrayContaining(["reload", "forceReload", "toggleDevTools"]));
    expect(roles(true)).not.toContain("toggleDevTools");
    expect(roles(true)).not.toContain("reload");
    expect(roles(true)).not.toContain("forceReload");
    expect(roles(true)).toEqual(expect.arrayContaining(["resetZoom", "zoomIn", "zoomOut"]));
  });

  it("has the macOS application menu only on macOS", () => {
    const top = (platform: NodeJS.Platform) => menuTemplate({ platform, packaged: true, go: () => {} })[0]?.role;
    expect(top("darwin")).toBe("appMenu");
    expect(top("win32")).toBe("fileMenu");
  });
});
