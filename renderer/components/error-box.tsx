import { AppError } from "../../shared/contract/index";

/** Shows an error the way a plant manager can act on it: the message, and the code for support. */
export function ErrorBox({ error }: { readonly error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof AppError ? error.code : "internal";
  return (
    <div className="error-box" role="alert">
      <strong>{message}</strong>
      <span className="muted"> ({code})</span>
    </div>
  );
}
