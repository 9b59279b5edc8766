// Redocly lint rules for the PandaStack contract. Plain ESM JavaScript because redocly loads
// plugins with import(); each rule is one function below, registered under the `pandastack/` id.

const ENVELOPE_FILE = /\/spec\/components\/schemas\/ErrorEnvelope\.yaml$/;
const ERROR_STATUS = /^[45]\d\d$/;

/** Resolves a node that may be a $ref, relative to the file it was found in. */
function resolved(ctx, node, from) {
  if (!node || typeof node !== 'object' || typeof node.$ref !== 'string') return { node, location: from };
  const r = ctx.resolve(node, from?.source.absoluteRef);
  return { node: r.node, location: r.location ?? from };
}

/** The envelope variants a response schema admits: one variant, or a oneOf of variants. */
function variantsOf(ctx, schema, from) {
  const top = resolved(ctx, schema, from);
  if (!top.node || typeof top.node !== 'object') return [];
  if (Array.isArray(top.node.oneOf)) return top.node.oneOf.map((s) => resolved(ctx, s, top.location));
  return [top];
}

function isEnvelopeVariant(ctx, variant) {
  const node = variant.node;
  if (!node || !Array.isArray(node.allOf) || node.allOf.length === 0) return false;
  const base = resolved(ctx, node.allOf[0], variant.location);
  return Boolean(base.location && ENVELOPE_FILE.test(base.location.source.absoluteRef));
}

/**
 * Calls check(status, response, location) for each 4xx/5xx response of each operation. It visits
 * the per-operation Responses maps rather than Response nodes: redocly visits a referenced node
 * once, so a shared response misplaced under a second status would go unseen.
 */
function eachErrorResponse(check) {
  return {
    Responses: {
      enter(responses, ctx) {
        for (const [status, raw] of Object.entries(responses)) {
          if (!ERROR_STATUS.test(status)) continue;
          const response = resolved(ctx, raw);
          check(status, response, ctx, ctx.location.child([status]));
        }
      },
    },
  };
}

/** Every 4xx/5xx response has exactly one body, application/json, built on the shared envelope. */
function ErrorResponseUsesEnvelope() {
  return eachErrorResponse((status, response, ctx, location) => {
    const types = Object.keys(response.node?.content ?? {});
    if (types.length !== 1 || types[0] !== 'application/json') {
      ctx.report({
        message: `Error response ${status} must have exactly one body, application/json (found: ${types.join(', ') || 'none'}).`,
        location,
      });
      return;
    }
    const schema = response.node.content['application/json'].schema;
    const variants = schema ? variantsOf(ctx, schema, response.location) : [];
    if (variants.length === 0 || !variants.every((v) => isEnvelopeVariant(ctx, v))) {
      ctx.report({
        message: `Error response ${status} must use the shared envelope: a code variant (allOf: [ErrorEnvelope, ...]) or a oneOf of them, never an inline error schema.`,
        location,
      });
    }
  });
}

/**
 * Every error code named anywhere (an envelope variant's x-error-code and const, an error
 * example's error.code) is in the ErrorCode enum, and a variant sits only under its own status.
 */
function ErrorCodesInCatalog() {
  let catalog; // code -> status, read from the ErrorCode enum's x-error-catalog
  function load(ctx, envelope) {
    if (catalog) return catalog;
    const error = envelope.node?.properties?.error;
    const codeSchema = error?.properties?.code ? resolved(ctx, error.properties.code, envelope.location).node : undefined;
    catalog = new Map();
    for (const code of codeSchema?.enum ?? []) catalog.set(code, codeSchema['x-error-catalog']?.[code]?.status);
    return catalog;
  }
  return eachErrorResponse((status, response, ctx, location) => {
    const media = response.node?.content?.['application/json'];
    if (!media?.schema) return;
    for (const variant of variantsOf(ctx, media.schema, response.location)) {
      const node = variant.node;
      if (!node || !Array.isArray(node.allOf)) continue;
      const known = load(ctx, resolved(ctx, node.allOf[0], variant.location));
      const code = node['x-error-code'];
      const constCode = node.allOf[1]?.properties?.error?.properties?.code?.const;
      if (typeof code !== 'string' || code !== constCode) {
        ctx.report({ message: `Error variant must name its code in x-error-code and error.code.const alike (found ${code} and ${constCode}).`, location });
        continue;
      }
      if (!known.has(code)) {
        ctx.report({ message: `Error code "${code}" is not in the error catalog (ErrorCode enum).`, location });
        continue;
      }
      if (String(known.get(code)) !== status || String(node['x-status']) !== status) {
        ctx.report({ message: `Error code "${code}" has status ${known.get(code)} in the catalog but is listed under ${status}.`, location });
      }
    }
    for (const [name, example] of Object.entries(media.examples ?? {})) {
      const code = resolved(ctx, example, response.location).node?.value?.error?.code;
      if (code !== undefined && catalog && !catalog.has(code)) {
        ctx.report({ message: `Example ${name} uses error code "${code}", which is not in the error catalog.`, location });
      }
    }
  });
}

/** Every operation answers success with a 2xx, or 101 for a WebSocket upgrade. */
function OperationSuccessResponse() {
  return {
    Operation: {
      enter(operation, ctx) {
        const responses = operation.responses ?? {};
        const keys = Object.keys(responses);
        // A browser redirect (GitHub's callback) succeeds with a 3xx that says where to go.
        const redirects = (k) => /^3\d\d$/.test(k) && Object.keys(responses[k]?.headers ?? {}).some((h) => h.toLowerCase() === 'location');
        if (!keys.some((k) => /^2\d\d$/.test(k) || k === '101' || redirects(k))) {
          ctx.report({ message: 'Operation must document a 2xx response, 101 for a WebSocket upgrade, or a 3xx redirect with a Location header.', location: ctx.location.child('responses') });
        }
      },
    },
  };
}

export default function pandastackPlugin() {
  return {
    id: 'pandastack',
    rules: {
      oas3: {
        'error-response-uses-envelope': ErrorResponseUsesEnvelope,
        'error-codes-in-catalog': ErrorCodesInCatalog,
        'operation-success-response': OperationSuccessResponse,
      },
    },
  };
}
