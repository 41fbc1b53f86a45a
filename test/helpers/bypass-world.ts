import { afterAll } from "vitest";
import type { Core, CoreOptions } from "../../electron/core/core";
import { DEMO_PEOPLE } from "../../shared/domain/demo/roster";
import { actAs } from "../integration/approvals/support";
import { call } from "../integration/register/register-fixtures";
import { type Doors, type DoorsOnCore, doorsForFile, refusedAtEveryDoor } from "./doors";

// Every bypass test file tries its routes against the same world: a demo core with its GitOps repository (so roles
// come from the repository's policy.yaml, as on a real laptop) and both page doors over it.

/** Every demo person's e-mail, in roster order: the actors a bypass matrix tries each route as. */
export const DEMO_ACTORS: readonly string[] = DEMO_PEOPLE.map((p) => p.email);

/** A demo core with its repository and page doors, live between the file's beforeAll and afterAll. */
export interface BypassWorld {
  readonly core: Core;
  readonly doors: Doors;
  /** The core's data folder. */
  readonly dir: string;
  /** Selects this demo person's proved key, as the identity switcher does. */
  as(email: string): Promise<void>;
  /** `refusedAtEveryDoor` over this world: refused alike at every door, nothing changed afterwards. */
  refused(method: string, input: unknown, expected: Parameters<typeof refusedAtEveryDoor>[4]): Promise<void>;
}

/**
 * Registers the hooks that build the world before the file's tests (a temp core with `options`, the demo GitOps
 * repository, both doors, then `setup`) and tear it down after them. Read its fields inside hooks and tests only.
 */
export function bypassWorld(
  options: Partial<CoreOptions> = {},
  setup?: (world: BypassWorld) => Promise<void>,
): BypassWorld {
  let live: DoorsOnCore | null = null;
  const need = () =>
    live ??
    (() => {
      throw new Error("the bypass world is only there inside its tests");
    })();
  const world: BypassWorld = {
    get core() {
      return need().core;
    },
    get doors() {
      return need().doors;
    },
    get dir() {
      return need().dir;
    },
    as: (email) => actAs(need().core, email),
    refused: (method, input, expected) => refusedAtEveryDoor(need().core, need().doors, method, input, expected),
  };
  doorsForFile(
    options,
    async (l) => {
      live = l;
      await setup?.(world);
    },
    { prepare: (core) => call(core, "gitops.createDemo", {}) },
  );
  afterAll(() => {
    live = null;
  });
  return world;
}
