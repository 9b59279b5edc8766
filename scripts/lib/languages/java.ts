// The Java model's envelope classes, beside quicktype's details classes: ErrorCode (the known
// codes), ErrorCatalog, ErrorObject (the code kept as a string, so that a code newer than the
// model still reads), PandaStackError with parse/toJson on Jackson 2, and InvalidErrorBodyException.
// The fixed text of each class is templates/java/<class>.java.tmpl.
import { fillTemplate } from './template.js';
import { constantCase, literal, oneLine, uniqueNames, type CatalogRow } from './rows.js';

export function javaEnvelope(rows: CatalogRow[], pkg: string): Map<string, string> {
  const member = uniqueNames(rows, constantCase, [], 'java');
  const codes = rows.map((r, i) => `    /** ${oneLine(r.meaning)} */\n    ${member.get(r.code)}(${literal(r.code)})${i === rows.length - 1 ? ';' : ','}`);
  const entries = rows.map((r) => `        entries.put(ErrorCode.${member.get(r.code)}, new Entry(${[r.status, r.retryable, `${r.details}.class`, ...r.required.map(literal)].join(', ')}));`);
  const parts: Record<string, Record<string, string>> = {
    ErrorCode: { codes: codes.join('\n') },
    ErrorCatalog: { entries: entries.join('\n') },
    InvalidErrorBodyException: {},
    ErrorObject: {},
    PandaStackError: {},
  };
  return new Map(Object.entries(parts).map(([cls, values]) => [`${cls}.java`, fillTemplate(`java/${cls}.java.tmpl`, { package: pkg, ...values })]));
}
