// Compile-time checks of the generated types, run by `tsc --noEmit` (test/typecheck.test.ts).
// Each line fails to compile when the generated types drift from the catalog.
import type { ErrorCode, OPERATION_ERRORS } from '../../src/generated/error-catalog.js';
import type { components, paths } from '../../src/generated/openapi.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** The enum of the spec and the TypeScript constants name the same codes. */
export const codesMatch: Equal<components['schemas']['ErrorCode'], ErrorCode> = true;

/** The operation's 404 admits only its own code. */
type GetTemplate404 = paths['/v1/templates/{name}']['get']['responses'][404]['content']['application/json'];
export const getTemplate404: Equal<GetTemplate404['error']['code'], 'template.not_found'> = true;

/** The per-operation sets of the constants and of the types agree. */
type Codes404 = (typeof OPERATION_ERRORS)['getTemplate']['errors'][404][number];
export const constantsAgree: Equal<Codes404, GetTemplate404['error']['code']> = true;

/** details is typed per code: a build failure carries log_url. */
type BuildFailed = components['schemas']['TemplateBuildFailedError']['error']['details'];
export const logUrl: Equal<BuildFailed['log_url'], string> = true;

/** A 404 body cannot carry a 401 code. */
// @ts-expect-error auth.invalid_token is not a code of GET /v1/templates/{name} 404
export const wrongCode: GetTemplate404['error']['code'] = 'auth.invalid_token';
