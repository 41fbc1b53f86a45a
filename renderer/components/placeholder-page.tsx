/** A page whose feature has not landed yet: says so plainly instead of showing an empty screen. */
export function PlaceholderPage({ title, issue }: { readonly title: string; readonly issue: string }) {
  return (
    <section className="page">
      <h1>{title}</h1>
      <p className="muted">This part of Shiftgate arrives with {issue}.</p>
    </section>
  );
}
