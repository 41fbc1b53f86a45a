// Environment paths in policy.yaml are globs over repository paths ("apps/odoo/overlays/prod/**").
// Pure code so the renderer can preview which environment a file belongs to.

const cache = new Map<string, RegExp>();

/** Compiles a glob: `**` any number of path segments, `*` within a segment, `?` one character, `{a,b}` either. */
function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let out = "";
  let i = 0;
  let inBraces = false;
  while (i < glob.length) {
    const c = glob[i] ?? "";
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const atSegmentStart = i === 0 || glob[i - 1] === "/";
        const atSegmentEnd = i + 2 === glob.length || glob[i + 2] === "/";
        if (atSegmentStart && atSegmentEnd) {
          // "**/" matches zero or more whole segments; a trailing "**" matches everything below.
          if (glob[i + 2] === "/") {
            out += "(?:[^/]+/)*";
            i += 3;
          } else {
            out += ".*";
            i += 2;
          }
          continue;
        }
        out += "[^/]*";
        i += 2;
        continue;
      }
      out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else if (c === "{") {
      inBraces = true;
      out += "(?:";
    } else if (c === "}" && inBraces) {
      inBraces = false;
      out += ")";
    } else if (c === "," && inBraces) out += "|";
    else out += c.replace(/[.+^$()|[\]\\]/g, "\\$&");
    i++;
  }
  const re = new RegExp(`^${out}$`);
  cache.set(glob, re);
  return re;
}

/** True when a repository path matches a glob. */
export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(path);
}

/** True when a path matches any of the globs. */
export function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => matchesGlob(path, g));
}
