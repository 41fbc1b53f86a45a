import { useId, useState } from "react";
import type { ChangeDetail } from "../../../shared/contract/index";
import { ErrorBox } from "../../components/error-box";
import { formatDateTime } from "./format";
import { useMethodMutation } from "./use-method-mutation";

/** The change's discussion, oldest first, with a box to add to it. */
export function CommentsPanel({ change }: { readonly change: ChangeDetail }) {
  const [body, setBody] = useState("");
  const [empty, setEmpty] = useState(false);
  const id = useId();
  const comment = useMethodMutation("change.comment", () => setBody(""));
  return (
    <section className="panel" aria-labelledby="comments-title" data-testid="comments-panel">
      <h2 id="comments-title">Comments</h2>
      {change.comments.length === 0 && <p className="muted">No comments yet.</p>}
      <ul className="comments">
        {change.comments.map((c) => (
          <li key={c.id} data-testid="comment">
            <div className="muted comment-meta">
              {c.author} · {formatDateTime(c.createdAt)}
            </div>
            <div className="comment-body">{c.body}</div>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (body.trim() === "") {
            setEmpty(true);
            return;
          }
          comment.mutate({ id: change.id, body: body.trim() });
        }}
      >
        <label htmlFor={id} className="muted">
          Add a comment
        </label>
        <textarea
          id={id}
          className="input comment-input"
          value={body}
          aria-invalid={empty}
          data-testid="comment-input"
          onChange={(e) => {
            setBody(e.target.value);
            setEmpty(false);
          }}
        />
        {empty && (
          <span className="field-error" role="alert">
            Write something first.
          </span>
        )}
        <div className="action-row">
          <button type="submit" className="btn" disabled={comment.isPending} data-testid="comment-submit">
            {comment.isPending ? "Posting…" : "Comment"}
          </button>
        </div>
        {comment.error && <ErrorBox error={comment.error} />}
      </form>
    </section>
  );
}
