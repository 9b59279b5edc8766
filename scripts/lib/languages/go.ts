// The Go model's envelope file (envelope.go, beside quicktype's details types): ErrorCode as an
// open string type with a constant per known code, the catalog, and ParseError, which checks the
// envelope's shape and keeps codes newer than the package. The fixed text is
// templates/go/envelope.go.tmpl.
import { fillTemplate } from './template.js';
import { detailTypes, literal, oneLine, pascalCase, uniqueNames, type CatalogRow } from './rows.js';

export function goEnvelope(rows: CatalogRow[], packageName: string, detailsSource: string): string {
  const constant = uniqueNames(rows, (c) => `Code${pascalCase(c)}`, [], 'go');
  for (const taken of ['ErrorCode', 'CatalogEntry', 'ErrorCatalog', 'PandaStackError', 'ErrorObject', 'ParseError']) {
    if (new RegExp(`^(type|var|func|const) ${taken}\\b`, 'm').test(detailsSource)) throw new Error(`go: quicktype already declares ${taken}`);
  }
  const entryWidth = Math.max(...rows.map((r) => constant.get(r.code)!.length)) + 1;
  const envelope = fillTemplate('go/envelope.go.tmpl', {
    package: packageName,
    constants: rows.flatMap((r) => [`\t// ${constant.get(r.code)}: ${oneLine(r.meaning)}`, `\t${constant.get(r.code)} ErrorCode = ${literal(r.code)}`]).join('\n'),
    catalog: rows
      .map(
        (r) =>
          `\t${(constant.get(r.code)! + ':').padEnd(entryWidth)} {Status: ${r.status}, Retryable: ${r.retryable}, DetailsType: ${literal(r.details)}, Required: []string{${r.required.map(literal).join(', ')}}, NewDetails: func() interface{} { return &${r.details}{} }},`,
      )
      .join('\n'),
  });
  const accessors = detailTypes(rows).flatMap((d) => typedAccessor(d, rows.filter((r) => r.details === d).map((r) => constant.get(r.code)!)));
  return [envelope, ...accessors].join('\n');
}

/** A method per details type, so that a caller who knows the code gets the type, not an interface{}. */
function typedAccessor(details: string, constants: string[]): string[] {
  const codes = constants.length > 3 ? `${constants.slice(0, 3).join(', ')} and ${constants.length - 3} more` : constants.join(', ');
  return [
    '',
    `// ${details} returns the details of ${codes} as *${details}. It fails for any other code.`,
    `func (e ErrorObject) ${details}() (*${details}, error) {`,
    '	d, _, err := e.TypedDetails()',
    '	if err != nil {',
    '		return nil, err',
    '	}',
    `	typed, ok := d.(*${details})`,
    '	if !ok {',
    `		return nil, fmt.Errorf("%s does not carry ${details}", e.Code)`,
    '	}',
    '	return typed, nil',
    '}',
  ];
}
