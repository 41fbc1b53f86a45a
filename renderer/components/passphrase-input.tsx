/** The re-authentication field of a signing action: the key's passphrase, never autofilled, never kept. */
export function PassphraseInput({
  value,
  onChange,
  label = "Key passphrase",
}: {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly label?: string;
}) {
  return (
    <input
      type="password"
      aria-label={label}
      placeholder="Key passphrase (if any)"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      autoComplete="off"
    />
  );
}
