// Codes only infrastructure produces (`produced_by: fault` in the catalog), which the mock
// injects on request (`Prefer: fault=<code>`). Each answers with its catalog example — message
// and details — read from the bundle, so a new fault code needs no edit here: only the catalog
// and `npm run generate`. Where the example names the sandbox or a size, the request's own
// value replaces it, so the answer speaks of what was asked.
import type { JsonObject } from '../spec/document.js';
import type { OpContext } from './context.js';

interface FaultExample { message: string; details: Record<string, unknown> }

/** The catalog example of every fault code, from the envelope variants in the bundle. */
export function faultExamples(doc: JsonObject): Map<string, FaultExample> {
  const out = new Map<string, FaultExample>();
  const schemas = ((doc.components as JsonObject | undefined)?.schemas ?? {}) as Record<string, JsonObject>;
  for (const schema of Object.values(schemas)) {
    if (schema['x-produced-by'] !== 'fault' || typeof schema['x-error-code'] !== 'string') continue;
    const example = ((schema.examples as JsonObject[] | undefined)?.[0]?.error ?? {}) as { message?: unknown; details?: unknown };
    out.set(schema['x-error-code'], {
      message: typeof example.message === 'string' ? example.message : `Injected ${schema['x-error-code']}`,
      details: example.details && typeof example.details === 'object' ? (example.details as Record<string, unknown>) : {},
    });
  }
  return out;
}

/** The example's message and details, with the request's sandbox id and size where it names them. */
export function faultAnswer(example: FaultExample, ctx: OpContext): FaultExample {
  const details = structuredClone(example.details);
  let message = example.message;
  const id = ctx.op.path.startsWith('/v1/sandboxes/{id}') ? ctx.params.id : undefined;
  if (typeof details.sandbox_id === 'string') {
    const replacement = id ?? 'unknown';
    message = message.split(details.sandbox_id).join(replacement);
    details.sandbox_id = replacement;
  }
  const size = (ctx.body as { size_mb?: unknown } | undefined)?.size_mb;
  if (typeof details.requested_mb === 'number' && typeof size === 'number') details.requested_mb = size;
  return { message, details };
}
