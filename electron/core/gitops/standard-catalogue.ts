import { existsSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { DEMO_STANDARD_TEMPLATES } from "../../../shared/domain/demo/standard-templates";
import {
  parseStandardTemplate,
  type StandardTemplate,
  templateIdOfPath,
} from "../../../shared/domain/policy/standard-templates";
import { type GitContext, git } from "./git";

/** One catalogue entry: the template and the commit that last wrote its file (its pre-approval). */
interface CatalogueEntry {
  readonly template: StandardTemplate;
  readonly commit: string;
}

/** The standard-change catalogue by template id. */
export type Catalogue = ReadonlyMap<string, CatalogueEntry>;

/** Just the templates of a catalogue, for the scope check. */
export function templatesOf(catalogue: Catalogue): ReadonlyMap<string, StandardTemplate> {
  return new Map([...catalogue].map(([id, e]) => [id, e.template]));
}

/** Where the catalogue is read from. */
interface CatalogueSource {
  readonly gitopsDir: string | null;
  readonly ctx: GitContext;
  /** Asked only while no working copy exists: a demo register then uses the demo catalogue. */
  readonly isDemo: () => boolean;
}

const DIR = ".shiftgate/standard-changes/";

/**
 * The catalogue as committed at the working copy's HEAD: a template edited but not committed (so neither signed
 * nor judged by verify) carries no pre-approval. A file that does not parse is left out of the catalogue.
 */
export async function readCatalogue(source: CatalogueSource): Promise<Catalogue> {
  const dir = source.gitopsDir;
  if (dir === null || !existsSync(join(dir, ".git"))) {
    if (source.isDemo()) return new Map(DEMO_STANDARD_TEMPLATES.map((t) => [t.id, { template: t, commit: "demo" }]));
    throw new AppError(
      "unavailable",
      "Standard changes are raised from the catalogue in the GitOps repository (.shiftgate/standard-changes/), and " +
        `this install has no GitOps working copy${dir ? ` at ${dir}` : ""}. Clone the plant's GitOps repository ` +
        "there (or create the demo repository on the GitOps page), or raise it as a normal change.",
      { reason: "no-working-copy" },
    );
  }
  const listed = await git(source.ctx, dir, ["ls-tree", "-z", "--name-only", "HEAD", "--", DIR], { okCodes: [128] });
  const out = new Map<string, CatalogueEntry>();
  if (listed.code !== 0) return out;
  for (const path of listed.stdout.split("\0")) {
    const id = templateIdOfPath(path);
    if (id === null) continue;
    const [shown, log] = await Promise.all([
      git(source.ctx, dir, ["show", `HEAD:${path}`]),
      git(source.ctx, dir, ["log", "-1", "--format=%H", "HEAD", "--", path]),
    ]);
    try {
      out.set(id, { template: parseStandardTemplate(shown.stdout, id), commit: log.stdout.trim() });
    } catch {
      // An invalid template is not in the catalogue: a change naming it is refused as naming an unknown one.
    }
  }
  return out;
}
