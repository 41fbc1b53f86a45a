import type { ApprovalsMethodName } from "../../../shared/contract/methods/approvals";
import type { HandlerContext, Handlers } from "../dispatch";
import type { RegisterAuditInput } from "../register/audit";
import type { CoreServices } from "../services";
import { identify, identityView, selectedKey, storeKey } from "./identity";
import { currentProof, proveAndRemember, quietProver } from "./identity-proof";
import { type KeyRef, keyLabel } from "./key-ref";
import { openpgpSecretFingerprint } from "./openpgp-key";
import { switchableDemoKeys, type TrustLoader } from "./trust";

type IdentityMethodName = Extract<ApprovalsMethodName, `identity.${string}`>;

/** What the identity handlers read: the trust in force and where the demo people's keys live. */
export interface IdentityDeps {
  readonly trust: TrustLoader;
  /** The built-in demo's keys (no repository configured). */
  readonly demoKeysDir: string;
  /** Where the demo GitOps repository keeps its people's keys. */
  readonly repoKeysDir: string;
}

/** Handlers for the `identity.*` methods: who holds this laptop's key, proved by signing; the policy's people. */
export function identityHandlers(services: CoreServices, deps: IdentityDeps): Pick<Handlers, IdentityMethodName> {
  const db = services.register.db;
  const quiet = quietProver(db);
  return {
    "identity.current": {
      async: async () => {
        const trust = await deps.trust();
        const key = selectedKey(db);
        return identityView(trust, key, await quiet.proved(trust, key));
      },
    },
    "identity.use": {
      async: async (input, ctx: HandlerContext) => {
        const passphrase = input.passphrase ?? "";
        const key: KeyRef =
          "keyFile" in input
            ? { format: "ssh", keyFile: input.keyFile }
            : {
                format: "openpgp",
                fingerprint: await openpgpSecretFingerprint(input.openpgpKey, input.gnupgHome ?? null),
                gnupgHome: input.gnupgHome ?? null,
              };
        const trust = await deps.trust();
        // Proved before anything is written: a refusal leaves the previous identity, the register and audit as
        // they were. A key that already signed in this run is taken back without its passphrase (switching back to
        // one's own key after a colleague used the laptop); a passphrase given is always checked.
        const claimed = identify(trust, key).signatory;
        const signatory =
          claimed && passphrase === "" && currentProof(db, claimed)
            ? claimed
            : await proveAndRemember(db, trust, key, passphrase);
        quiet.forget(key);
        return ctx.transact(() => {
          const before = selectedKey(db);
          storeKey(db, key, signatory.email);
          const entry: RegisterAuditInput = {
            action: "identity.use",
            entity: "identity",
            entityId: null,
            before: { key: before ? keyLabel(before) : null },
            after: { key: keyLabel(key), fingerprint: signatory.fingerprint, email: signatory.email, proved: true },
            actor: signatory.email,
          };
          ctx.audit(entry);
          ctx.emit("register.changed", { entity: "identity" });
          return identityView(trust, key);
        });
      },
    },
    "identity.demoKeys": {
      async: async () => {
        return switchableDemoKeys(await deps.trust(), deps.demoKeysDir, deps.repoKeysDir);
      },
    },
    "identity.people": {
      async: async () =>
        (await deps.trust()).policy.people.map((p) => ({
          email: p.email.toLowerCase(),
          name: p.name,
          roles: [...p.roles],
          plants: [...p.plants],
        })),
    },
  };
}
