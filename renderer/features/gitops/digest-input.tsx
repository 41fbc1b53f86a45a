/** An image digest field (sha256: and 64 hex digits): the page checks its form; the core checks it again. */
export function DigestInput(props: {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly testId: string;
}) {
  return (
    <input
      aria-label={props.label}
      placeholder="sha256:…"
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      pattern="sha256:[0-9a-f]{64}"
      title="sha256: and 64 hex digits, as the registry reports the image"
      data-testid={props.testId}
    />
  );
}
