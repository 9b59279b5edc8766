// The body and details types of each error code, derived from the generated OpenAPI types.
// openapi-typescript writes a bare `type: object` as Record<string, never>; that index signature
// would let any property name through (as `undefined`), so only the declared keys are kept.
import type { components } from '../generated/openapi.js';
import type { ERROR_CATALOG, ErrorCode } from '../generated/error-catalog.js';

type Schemas = components['schemas'];
type Envelope = Schemas['ErrorEnvelope']['error'];

/** T without its index signatures: only the properties it declares. */
type DeclaredKeys<T> = {
  [K in keyof T as string extends K ? never : number extends K ? never : symbol extends K ? never : K]: T[K];
};

/** The name of a code's envelope variant schema, e.g. 'SandboxNotFoundError'. */
export type ErrorSchemaName<C extends ErrorCode> = (typeof ERROR_CATALOG)[C]['schema'] & keyof Schemas;

/** The generated envelope variant of a code, e.g. components['schemas']['SandboxNotFoundError']. */
export type ErrorVariant<C extends ErrorCode> = Schemas[ErrorSchemaName<C>];

/** The details of a code, e.g. { resource, id, retryable? } for sandbox.not_found. */
export type ErrorDetails<C extends ErrorCode> = ErrorVariant<C> extends { error: { details: infer D } } ? DeclaredKeys<D> : never;

/** The error envelope of a code as it is on the wire; without a code, the union over all codes. */
export type ErrorBody<C extends ErrorCode = ErrorCode> = C extends ErrorCode
  ? {
      error: {
        code: C;
        message: Envelope['message'];
        request_id: Envelope['request_id'];
        details: ErrorDetails<C>;
      };
    }
  : never;
