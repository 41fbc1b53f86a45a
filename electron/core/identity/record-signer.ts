import type { KeyRef } from "./key-ref";
import { openpgpSign } from "./openpgp-key";
import { sshSign } from "./ssh-key";

/** Signs a record's bytes with a key after unlocking it: the one step that proves the signer holds the key now. */
export type PayloadSigner = (key: KeyRef, passphrase: string, payload: string) => Promise<string>;

/** SSH keys sign with ssh-keygen, OpenPGP keys with gpg. */
export const keySigner: PayloadSigner = (key, passphrase, payload) =>
  key.format === "ssh"
    ? sshSign({ keyFile: key.keyFile, passphrase }, payload)
    : openpgpSign({ fingerprint: key.fingerprint, gnupgHome: key.gnupgHome, passphrase }, payload);
