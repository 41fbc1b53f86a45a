import { humanise } from "./format";

/** Options of a select from a vocabulary, shown in people's words. */
export function vocabularyOptions(values: readonly string[]) {
  return values.map((v) => (
    <option key={v} value={v}>
      {humanise(v)}
    </option>
  ));
}
