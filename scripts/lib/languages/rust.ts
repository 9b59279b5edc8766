// The Rust model: quicktype's serde structs for the details types (optional fields left out when
// absent, so that they round-trip), then the envelope, an ErrorCode enum with an Unknown(String)
// variant for codes newer than the crate, the catalog as methods, and typed details per code
// (the fixed text is templates/rust/envelope.rs.tmpl).
import { fillTemplate } from './template.js';
import { literal, oneLine, pascalCase, uniqueNames, detailTypes, type CatalogRow } from './rows.js';

/** serde writes `null` for a None field unless told otherwise; the API leaves such fields out. */
export function skipAbsentOptions(source: string): string {
  return source.replace(/^( *)(pub [a-z_0-9]+: Option<)/gm, '$1#[serde(skip_serializing_if = "Option::is_none")]\n$1$2');
}

export function rustEnvelope(rows: CatalogRow[]): string {
  const variant = uniqueNames(rows, pascalCase, ['Unknown'], 'rust');
  const lines = (list: string[]) => list.join('\n');
  /** The arms of a `match self` over every code, then the arm of an unknown one. */
  const arms = (value: (r: CatalogRow) => string, unknown: string) =>
    lines([...rows.map((r) => `            ErrorCode::${variant.get(r.code)} => ${value(r)},`), `            ErrorCode::Unknown${unknown},`]);
  const types = detailTypes(rows);
  // A blank line parts the envelope from quicktype's last item.
  return '\n' + fillTemplate('rust/envelope.rs.tmpl', {
    variants: lines(rows.flatMap((r) => [`    /// \`${r.code}\`: ${oneLine(r.meaning)}`, `    ${variant.get(r.code)},`])),
    from_code: lines(rows.map((r) => `            ${literal(r.code)} => ErrorCode::${variant.get(r.code)},`)),
    as_str: arms((r) => literal(r.code), '(code) => code'),
    status: arms((r) => `Some(${r.status})`, '(_) => None'),
    catalog_retryable: arms((r) => `Some(${r.retryable})`, '(_) => None'),
    details_type: arms((r) => `Some(${literal(r.details)})`, '(_) => None'),
    details_variants: lines(types.map((t) => `    ${t}(${t}),`)),
    to_value: lines(types.map((t) => `            Details::${t}(d) => serde_json::to_value(d),`)),
    typed_details: lines(rows.map((r) => `            ErrorCode::${variant.get(r.code)} => serde_json::from_value::<${r.details}>(value).map(Details::${r.details}),`)),
  });
}
