import { useState } from "react";
import type { MethodInput } from "../../../shared/contract/index";
import { isAppError } from "../../../shared/contract/index";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { PassphraseInput } from "../../components/passphrase-input";
import { useCall } from "./use-call";

type UseKey = MethodInput<"identity.use">;

// The core proves a key by signing with it; a protected key answers that it needs its passphrase (or that the
// one given does not unlock it), and the picker then asks for it for that same key.
function needsPassphrase(error: unknown): boolean {
  const reason = isAppError(error) ? error.details?.reason : undefined;
  return reason === "passphrase-needed" || reason === "wrong-passphrase";
}

/**
 * Who this laptop signs as: the owner of the selected key. Switching means selecting another key file; in the
 * demo, one of the demo people's keys. The name shown comes from the core (key → allowed signers → policy).
 */
export function IdentitySwitcher() {
  const identity = useMethodQuery("identity.current", {});
  const demoKeys = useMethodQuery("identity.demoKeys", {});
  const [passphrase, setPassphrase] = useState("");
  const [pending, setPending] = useState<UseKey | null>(null);
  const use = useCall("identity.use", () => {
    setPending(null);
    setPassphrase("");
  });
  const choose = (input: UseKey) => {
    setPending(input);
    setPassphrase("");
    use.mutate(input);
  };
  const unlocking = pending !== null && needsPassphrase(use.error);
  const [path, setPath] = useState("");
  const [format, setFormat] = useState<"ssh" | "openpgp">("ssh");
  const [home, setHome] = useState("");
  const me = identity.data;
  const keys = demoKeys.data ?? [];
  // A key not proved in this run (remembered from before a restart) is not shown as chosen, so choosing it
  // again (with its passphrase) is possible from the list.
  const selected = me?.known ? (keys.find((k) => k.keyFile === me.keyFile)?.keyFile ?? "") : "";
  return (
    <section className="panel identity" aria-labelledby="identity-title" data-testid="identity">
      <h2 id="identity-title">Signing as</h2>
      {identity.error && <ErrorBox error={identity.error} />}
      {me && (
        <div className="identity-who">
          {me.known ? (
            <>
              <strong data-testid="identity-name">{me.name}</strong>{" "}
              <span className="muted" data-testid="identity-roles">
                {me.roles.join(", ")}
                {me.plants.length > 0 ? ` · ${me.plants.join(", ")}` : ""}
              </span>
              <div className="muted identity-key">
                <code data-testid="identity-fingerprint">{me.fingerprint}</code> · policy from{" "}
                {me.source === "gitops" ? "the GitOps repository" : "the built-in demo"}
              </div>
              {me.abilities.length > 0 && (
                <ul className="identity-abilities" data-testid="identity-abilities">
                  {me.abilities.map((a) => (
                    <li key={a}>You may {a}.</li>
                  ))}
                </ul>
              )}
            </>
          ) : (
            <p className="muted" data-testid="identity-problem">
              {me.problem}
            </p>
          )}
        </div>
      )}
      <div className="identity-controls">
        {keys.length > 0 && (
          <label>
            <span className="muted">Demo key </span>
            <select
              className="input"
              data-testid="identity-select"
              value={selected}
              disabled={use.isPending}
              onChange={(e) => e.target.value && choose({ keyFile: e.target.value })}
            >
              <option value="">Choose a person…</option>
              {keys.map((k) => (
                <option key={k.keyFile} value={k.keyFile}>
                  {k.name} ({k.roles.join(", ")}
                  {k.plants.length ? ` · ${k.plants.join(", ")}` : ""})
                </option>
              ))}
            </select>
          </label>
        )}
        <form
          className="identity-path"
          onSubmit={(e) => {
            e.preventDefault();
            const ref = path.trim();
            if (!ref) return;
            if (format === "ssh") choose({ keyFile: ref });
            else choose(home.trim() ? { openpgpKey: ref, gnupgHome: home.trim() } : { openpgpKey: ref });
          }}
        >
          <select
            className="input"
            aria-label="Key type"
            value={format}
            onChange={(e) => setFormat(e.target.value === "openpgp" ? "openpgp" : "ssh")}
          >
            <option value="ssh">SSH key file</option>
            <option value="openpgp">OpenPGP key</option>
          </select>
          <input
            className="input"
            aria-label={format === "ssh" ? "Signing key file" : "OpenPGP key id, fingerprint or e-mail"}
            placeholder={format === "ssh" ? "/home/me/.ssh/id_ed25519" : "key id, fingerprint or e-mail"}
            value={path}
            onChange={(e) => setPath(e.target.value)}
            data-testid="identity-path"
          />
          {format === "openpgp" && (
            <input
              className="input"
              aria-label="GnuPG home (optional)"
              placeholder="GnuPG home (default ~/.gnupg)"
              value={home}
              onChange={(e) => setHome(e.target.value)}
            />
          )}
          <button type="submit" className="btn" disabled={!path.trim() || use.isPending}>
            Use this key
          </button>
        </form>
      </div>
      {unlocking && (
        <form
          className="identity-unlock"
          data-testid="identity-unlock"
          onSubmit={(e) => {
            e.preventDefault();
            if (pending) use.mutate({ ...pending, passphrase });
          }}
        >
          <PassphraseInput value={passphrase} onChange={setPassphrase} />
          <button type="submit" className="btn" disabled={!passphrase || use.isPending}>
            Unlock this key
          </button>
        </form>
      )}
      {use.error && <ErrorBox error={use.error} />}
    </section>
  );
}
