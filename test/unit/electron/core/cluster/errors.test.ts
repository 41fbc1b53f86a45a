import { describe, expect, it } from "vitest";
import { translateKubeError } from "../../../../../electron/core/cluster/errors";

const subject = {
  source: "deployments",
  what: "the deployments in namespace odoo-prod",
  context: "plant",
  server: "https://k8s.plant:6443",
  timeoutMs: 5000,
};

describe("translating Kubernetes client errors", () => {
  it("names the cluster and what to do for network, TLS and timeout failures", () => {
    const refused = Object.assign(new Error("request failed"), { cause: { code: "ECONNREFUSED" } });
    expect(translateKubeError(refused, subject)).toMatchObject({
      code: "cluster",
      kind: "unreachable",
      message: expect.stringMatching(
        /^The cluster of context "plant" \(https:\/\/k8s\.plant:6443\) cannot be reached \(ECONNREFUSED\)/,
      ),
    });
    const tls = Object.assign(new Error("x"), { code: "SELF_SIGNED_CERT_IN_CHAIN" });
    expect(translateKubeError(tls, subject).message).toMatch(/certificate Shiftgate does not trust/);
    const abort = Object.assign(new Error("The user aborted a request."), { name: "AbortError" });
    expect(translateKubeError(abort, subject)).toMatchObject({
      kind: "timeout",
      message: expect.stringContaining("within 5 s"),
    });
  });

  it("reads the Status message of API errors", () => {
    const forbidden = { code: 403, body: { kind: "Status", message: 'deployments is forbidden: User "x"' } };
    expect(translateKubeError(forbidden, subject)).toMatchObject({
      kind: "forbidden",
      message: expect.stringContaining("deployments is forbidden"),
    });
    expect(translateKubeError({ code: 503, body: "<html>" }, subject)).toMatchObject({
      kind: "server",
      message: expect.stringContaining("(503)"),
    });
    expect(translateKubeError({ code: 410, body: {} }, subject).kind).toBe("expired");
  });

  it("calls unparseable answers garbage", () => {
    expect(translateKubeError(new SyntaxError("Unexpected end of JSON input"), subject).kind).toBe("garbage");
    expect(
      translateKubeError(new Error("The mediaType text/html is not supported by ObjectSerializer.parse."), subject)
        .kind,
    ).toBe("garbage");
  });
});
