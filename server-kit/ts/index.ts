// The PandaStack server kit for TypeScript: produce the error envelope from a catalog code.
export { errors } from './constructors.generated.js';
export { CODE_FACTS, type DetailsArgs, type KitErrorCode } from './catalog.generated.js';
export { PandaStackApiError, isPandaStackApiError } from './api-error.js';
export { asApiError, renderError, type EnvelopeResponse } from './envelope.js';
export { newRequestId, isRequestId, REQUEST_ID_HEADER } from './request-id.js';
export { fieldsFromSchemaErrors, type FieldProblem, type FieldLocation, type SchemaError } from './validation-fields.js';
export { bodyTooLarge, malformedJson, unsupportedMediaType, parseJsonText, DEFAULT_BODY_LIMIT } from './json-body.js';
export { pandastackErrors, fromFastifyError, sendError as sendFastifyError, type PandaStackFastifyOptions } from './fastify.js';
export { withEnvelope as withNodeEnvelope, sendError as sendNodeError, readJsonBody as readNodeJsonBody, requestIdOf } from './node-http.js';
export { withEnvelope as withFetchEnvelope, errorResponse, readJsonBody as readFetchJsonBody } from './fetch.js';
