import { useRef, useState } from "react";
import { BOUNDS } from "../../../shared/contract/bounds";
import type { ChangeDetail, Evidence } from "../../../shared/contract/index";
import { useClient } from "../../api/client-context";
import { ErrorBox } from "../../components/error-box";
import { formatDateTime, formatSize, humanise } from "./format";
import { useMethodMutation } from "./use-method-mutation";

/** The file's bytes as base64, without the data-URL prefix the contract does not take. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}.`));
    reader.readAsDataURL(file);
  });
}

function base64ToBlob(base64: string, mediaType: string): Blob {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: mediaType });
}

// A media type the contract accepts; the browser leaves it empty for unknown extensions.
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

// The contract's evidence bound (docs/contract-bounds.md); checked here before reading the file.
const MAX_BYTES = BOUNDS.evidenceBytes;

/** Evidence attached to the change or its gates: stored once by SHA-256, listed with who attached it. */
export function EvidencePanel({ change }: { readonly change: ChangeDetail }) {
  const client = useClient();
  const fileRef = useRef<HTMLInputElement>(null);
  const [gateId, setGateId] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [readError, setReadError] = useState<unknown>(null);
  const attach = useMethodMutation("evidence.attach", (e) => {
    setNotice(e.deduplicated ? `${e.filename} was already attached: kept once.` : `${e.filename} attached.`);
  });
  const onAttach = async () => {
    const file = fileRef.current?.files?.[0];
    setNotice(null);
    setReadError(null);
    if (!file) {
      setNotice("Choose a file first.");
      return;
    }
    if (file.size > MAX_BYTES) {
      setNotice(`${file.name} is ${formatSize(file.size)}; evidence files may be up to ${MAX_BYTES / 1_000_000} MB.`);
      return;
    }
    try {
      const contentBase64 = await readBase64(file);
      attach.mutate(
        {
          changeId: change.id,
          gateId: gateId || undefined,
          filename: file.name,
          mediaType: MEDIA_TYPE.test(file.type) ? file.type : undefined,
          contentBase64,
        },
        {
          // The chooser is emptied only if it still holds the file just attached: the answer arrives after the
          // lists have reloaded, and by then the next file may already be chosen.
          onSuccess: () => {
            if (fileRef.current && fileRef.current.files?.[0] === file) fileRef.current.value = "";
          },
        },
      );
    } catch (error) {
      setReadError(error);
    }
  };
  const download = async (e: Evidence) => {
    try {
      const content = await client.call("evidence.read", { id: e.id });
      const url = URL.createObjectURL(base64ToBlob(content.contentBase64, e.mediaType));
      const a = document.createElement("a");
      a.href = url;
      a.download = e.filename;
      a.click();
      // Revoked a moment later: the download reads the URL after click() returns.
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setReadError(error);
    }
  };
  const failure: unknown = attach.error ?? readError;
  const gateLabel = (id: string | null) => {
    const g = change.gates.find((x) => x.id === id);
    return g ? `${humanise(g.stage)} · ${humanise(g.gate)}` : null;
  };
  return (
    <section className="panel" aria-labelledby="evidence-title" data-testid="evidence-panel">
      <h2 id="evidence-title">Evidence</h2>
      {change.evidence.length === 0 ? (
        <p className="muted">No evidence yet.</p>
      ) : (
        <ul className="evidence-list">
          {change.evidence.map((e) => (
            <li key={e.id} data-testid="evidence-item">
              <button type="button" className="link-button" onClick={() => void download(e)} title="Download">
                {e.filename}
              </button>
              <span className="muted">
                {" "}
                {formatSize(e.size)} · sha256 {e.sha256.slice(0, 12)}… · {e.attachedBy}, {formatDateTime(e.attachedAt)}
                {gateLabel(e.gateId) && ` · gate ${gateLabel(e.gateId)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="attach-row">
        <input ref={fileRef} type="file" aria-label="Evidence file" data-testid="evidence-file" />
        <select
          className="input"
          aria-label="Attach to"
          value={gateId}
          onChange={(e) => setGateId(e.target.value)}
          data-testid="evidence-gate"
        >
          <option value="">The change</option>
          {change.gates.map((g) => (
            <option key={g.id} value={g.id}>
              Gate: {humanise(g.stage)} · {humanise(g.gate)} ({g.result})
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn"
          disabled={attach.isPending}
          onClick={() => void onAttach()}
          data-testid="evidence-attach"
        >
          {attach.isPending ? "Attaching…" : "Attach"}
        </button>
      </div>
      {notice && (
        <p className="muted" role="status" data-testid="evidence-notice">
          {notice}
        </p>
      )}
      {failure ? <ErrorBox error={failure} /> : null}
    </section>
  );
}
