import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedSigners } from "../../../../../electron/core/gitops/allowed-signers";
import { generateSshKey, type SshKeyPair } from "../../../../../electron/core/gitops/keys";
import { tempDir } from "../../../../helpers/temp";

// The fields other capabilities (identity, approvals) read stay as they were; the options ssh-keygen honours are
// parsed beside them. Which verdict each option gives is shown against git itself in
// test/integration/gitops/ssh-differential.test.ts.

const temp = tempDir("shiftgate-allowed-signers-");
let key: SshKeyPair;
let pub: string;
beforeAll(async () => {
  key = await generateSshKey(temp.dir, "ana.ortiz@plant.example");
  pub = key.publicLine.split(/\s+/).slice(0, 2).join(" ");
});
afterAll(() => temp.cleanup());

describe("parseAllowedSigners reads allowed_signers as ssh-keygen does", () => {
  it("keeps principals, namespaces, key type and fingerprint, and adds the options", () => {
    const [entry] = parseAllowedSigners(
      `ana.ortiz@plant.example,*@berlin.plant.example namespaces="git",valid-after="20260101Z",valid-before="20270101000000Z" ${pub} comment\n`,
    );
    expect(entry).toMatchObject({
      principals: ["ana.ortiz@plant.example", "*@berlin.plant.example"],
      principalList: "ana.ortiz@plant.example,*@berlin.plant.example",
      namespaces: ["git"],
      keyType: "ssh-ed25519",
      certAuthority: false,
      validAfter: Date.parse("2026-01-01T00:00:00Z") / 1000,
      validBefore: Date.parse("2027-01-01T00:00:00Z") / 1000,
    });
    expect(entry?.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it("skips every line ssh-keygen rejects, and only those", () => {
    const lines = [
      `ok1@plant.example ${pub}`,
      `bad@plant.example namespaces=git ${pub}`, // value not quoted
      `bad@plant.example expiry-time="20270101" ${pub}`, // not an allowed_signers option
      `bad@plant.example valid-before="2027-01-01" ${pub}`, // not YYYYMMDD[HHMM[SS]]
      `bad@plant.example valid-before="20270230" valid-after="20260101" ${pub}`, // options must be one token
      `bad@plant.example ssh-rsa ${pub.split(" ")[1]}`, // the blob is not an RSA key
      `bad@plant.example`,
      "# comment",
      `"ok2@plant.example" cert-authority ${pub}`,
    ];
    expect(parseAllowedSigners(lines.join("\n")).map((e) => [e.principalList, e.certAuthority])).toEqual([
      ["ok1@plant.example", false],
      ["ok2@plant.example", true],
    ]);
  });
});
