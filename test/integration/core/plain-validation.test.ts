import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { tempCore } from "../../helpers/temp";
import { contentHash } from "../register/register-fixtures";

// Issue #19 item 6: a validation refusal reads as words a plant manager can act on, naming the field
// ("Context of environment 1 is empty: fill it in."), never "Invalid input at environments.0.context: Too small:
// expected string to have >=1 characters"; the path still travels in details for the form to mark the field.
let core: Core;
let cleanup: () => void;
beforeAll(async () => {
  ({ core, cleanup } = await tempCore());
});
afterAll(() => cleanup());

const env = {
  name: "qa",
  context: "kind-qa",
  namespaces: ["odoo"],
  argocd: { context: "kind-qa", namespace: "argocd" },
};

async function refusal(method: string, input: unknown) {
  const before = contentHash(core.services.register.db);
  const result = await core.call(method, input, "web");
  expect(contentHash(core.services.register.db)).toBe(before);
  if (result.ok) return expect.fail(`${method} should be refused`);
  expect(result.error.code).toBe("invalid-input");
  expect(result.error.message).not.toMatch(/Invalid input|Too (small|big)|expected|>=|\.0\./);
  return result.error;
}

describe("validation refusals in plain words", () => {
  it("names the field in words and says what to do; the form gets the path and a message for beside it", async () => {
    const empty = await refusal("cluster.configure", {
      kubeconfig: { kind: "default" },
      environments: [{ ...env, context: "" }],
    });
    expect(empty.message).toBe("Check the form: Context of environment 1 is empty: fill it in.");
    expect(empty.details?.issues).toEqual([{ path: "environments.0.context", message: "Empty: fill it in." }]);

    const long = await refusal("cluster.configure", {
      kubeconfig: { kind: "default" },
      environments: [env, { ...env, name: "production", argocd: { ...env.argocd, context: "x".repeat(254) } }],
    });
    expect(long.message).toBe(
      "Check the form: Context of argocd of environment 2 is too long: keep it to 253 characters.",
    );

    const missing = await refusal("cluster.configure", { environments: [env] });
    expect(missing.message).toBe("Check the form: Kubeconfig is missing: fill it in.");
  });
});
