// The Python model: quicktype's details classes with every `assert` turned into a raised
// exception (asserts vanish under `python -O`), then the envelope, the code enum and the catalog,
// written here so that an envelope whose code is newer than the model still reads (the fixed
// text is templates/python/envelope.py.tmpl).
import { fillTemplate } from './template.js';
import { constantCase, literal, oneLine, uniqueNames, type CatalogRow } from './rows.js';

/**
 * quicktype's Python checks its input with `assert`; each becomes an `if not (...): raise`.
 * The exception is InvalidValue (a ValueError), declared before the first use.
 */
export function withoutAsserts(source: string): string {
  const declaration = [
    '',
    '',
    'class InvalidValue(ValueError):',
    '    """A value does not have the type or shape the model requires."""',
    '',
  ].join('\n');
  const anchor = source.indexOf('\n\n\ndef ');
  if (anchor < 0) throw new Error("python: quicktype's output has no helper functions to anchor InvalidValue before");
  let out = source.slice(0, anchor) + declaration + source.slice(anchor);
  out = out.replace(/^( *)assert False$/gm, (_m, indent: string) => `${indent}raise InvalidValue("no alternative matched the value")`);
  out = out.replace(/^( *)assert (.+)$/gm, (_m, indent: string, condition: string) => `${indent}if not (${condition}):\n${indent}    raise InvalidValue(${literal(`expected ${condition}`)})`);
  out = out.replace(/^( *)except:$/gm, '$1except Exception:');
  if (/^\s*assert\b/m.test(out)) throw new Error('python: an assert is left in the model');
  return out;
}

export function pythonEnvelope(rows: CatalogRow[]): string {
  const member = uniqueNames(rows, constantCase, [], 'python');
  // Two blank lines part the envelope from quicktype's last class, as PEP 8 asks.
  return '\n\n' + fillTemplate('python/envelope.py.tmpl', {
    codes: rows.flatMap((r) => [`    ${member.get(r.code)} = ${literal(r.code)}`, `    """${oneLine(r.meaning).replace(/"""/g, "'''")}"""`]).join('\n'),
    catalog: rows.map((r) => `    ErrorCode.${member.get(r.code)}: CatalogEntry(${r.status}, ${r.retryable ? 'True' : 'False'}, ${r.details}),`).join('\n'),
  });
}
