// Validates every example of the bundled document against the schema it illustrates, with the
// same compiled validators the mock server and the contract runner use, and checks that every
// error code has at least one example.
import { pointerSegment, type JsonObject, type OpenApiDocument, deref } from '../../src/spec/document.js';
import { describeErrors, SpecValidators } from '../../src/spec/validators.js';

export interface ExampleProblem {
  pointer: string;
  message: string;
}

export interface ExampleReport {
  checked: number;
  problems: ExampleProblem[];
  /** Error codes that appear in at least one example. */
  codesWithExamples: Set<string>;
}

/** Keys under which a node holds example payloads, which are data and not walked as spec. */
const PAYLOAD_KEYS = new Set(['example', 'examples', 'value', 'enum', 'const', 'default', 'x-error-catalog', 'x-enumDescriptions']);

export function checkExamples(doc: OpenApiDocument, validators = new SpecValidators(doc)): ExampleReport {
  const report: ExampleReport = { checked: 0, problems: [], codesWithExamples: new Set() };

  const check = (schemaPointer: string, value: unknown, examplePointer: string) => {
    report.checked++;
    const code = (value as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (typeof code === 'string') report.codesWithExamples.add(code);
    let result;
    try {
      result = validators.validate(schemaPointer, value);
    } catch (e) {
      report.problems.push({ pointer: examplePointer, message: `schema ${schemaPointer} cannot be compiled: ${(e as Error).message}` });
      return;
    }
    if (!result.valid) {
      report.problems.push({ pointer: examplePointer, message: `does not match ${schemaPointer}: ${describeErrors(result.errors)}` });
    }
  };

  const walk = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) {
      node.forEach((x, i) => walk(x, `${pointer}/${i}`));
      return;
    }
    if (!node || typeof node !== 'object') return;
    const obj = node as JsonObject;
    const hasSchema = obj.schema !== undefined && typeof obj.schema === 'object';
    if (hasSchema && 'example' in obj) check(`${pointer}/schema`, obj.example, `${pointer}/example`);
    if (hasSchema && obj.examples && typeof obj.examples === 'object' && !Array.isArray(obj.examples)) {
      // Media type, parameter or header: a map of Example Objects.
      for (const [name, ex] of Object.entries(obj.examples as JsonObject)) {
        const at = `${pointer}/examples/${pointerSegment(name)}`;
        const { node: example } = deref<JsonObject>(doc, ex, at);
        if (example && 'value' in example) check(`${pointer}/schema`, example.value, at);
      }
    }
    if (!hasSchema && Array.isArray(obj.examples)) {
      // A schema's own JSON Schema examples.
      obj.examples.forEach((ex, i) => check(pointer, ex, `${pointer}/examples/${i}`));
    }
    for (const [k, v] of Object.entries(obj)) {
      if (PAYLOAD_KEYS.has(k)) continue;
      walk(v, `${pointer}/${pointerSegment(k)}`);
    }
  };
  walk(doc, '#');

  const enumCodes = ((doc.components.schemas as JsonObject).ErrorCode as JsonObject).enum as string[];
  for (const code of enumCodes) {
    if (!report.codesWithExamples.has(code)) report.problems.push({ pointer: '#/components/schemas/ErrorCode', message: `error code ${code} has no example` });
  }
  return report;
}
