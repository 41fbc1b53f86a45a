import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A certificate authority and a server certificate for 127.0.0.1 it signed, made with openssl in `dir`. */
export function makeClusterCa(dir: string): { readonly caFile: string; readonly key: string; readonly cert: string } {
  const f = (name: string) => join(dir, name);
  const ssl = (args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  ssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", f("ca.key")]);
  ssl(["req", "-x509", "-new", "-key", f("ca.key"), "-subj", "/CN=test-cluster-ca", "-days", "2", "-out", f("ca.crt")]);
  ssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", f("server.key")]);
  ssl(["req", "-new", "-key", f("server.key"), "-subj", "/CN=kube-apiserver", "-out", f("server.csr")]);
  writeFileSync(f("san.ext"), "subjectAltName=IP:127.0.0.1\n");
  ssl([
    "x509",
    "-req",
    "-in",
    f("server.csr"),
    "-CA",
    f("ca.crt"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    f("san.ext"),
    "-out",
    f("server.crt"),
  ]);
  return {
    caFile: f("ca.crt"),
    key: readFileSync(f("server.key"), "utf8"),
    cert: readFileSync(f("server.crt"), "utf8"),
  };
}
