/**
 * An honest "still reading" state: a spinner with words, announced to screen readers, so an empty screen never
 * pretends there is nothing (the calendar is not "No plants yet" while it loads).
 */
export function Loading({ label, testId = "loading" }: { readonly label: string; readonly testId?: string }) {
  return (
    <p className="loading muted" role="status" aria-busy="true" data-testid={testId}>
      <span className="loading-spinner" aria-hidden="true" />
      {label}
    </p>
  );
}
