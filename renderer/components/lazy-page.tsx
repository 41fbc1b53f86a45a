import { Component, type ReactNode, Suspense } from "react";

interface Props {
  /** What the page is, as the loading and failure messages name it ("calendar"). */
  readonly what: string;
  readonly children: ReactNode;
}

/**
 * A page whose code loads when first opened: says it is loading while it is, and, if its code cannot be fetched
 * (the browser door restarted with a newer build, say), what to do instead of leaving the window blank.
 */
export function LazyPage({ what, children }: Props) {
  return (
    <PageLoadFailure what={what}>
      <Suspense
        fallback={
          <p className="muted" role="status" aria-busy="true" data-testid="page-loading">
            Loading the {what}…
          </p>
        }
      >
        {children}
      </Suspense>
    </PageLoadFailure>
  );
}

class PageLoadFailure extends Component<Props, { readonly failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="error-box" role="alert">
        <strong>
          The {this.props.what} could not be loaded. Reload the window (Ctrl+R) to fetch it again; if it still fails,
          restart Shiftgate.
        </strong>
      </div>
    );
  }
}
