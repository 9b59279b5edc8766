// Compile-time proof of the server kit's constructors (test/server-kit-types.test.ts compiles
// this file; every @ts-expect-error must be needed). A constructor takes its own code's details,
// required fields required; status and retryability cannot be passed at all.
import { errors, PandaStackApiError } from '../../server-kit/ts/index.js';

// Correct calls compile.
errors.sandboxNotFound({ resource: 'sandbox', id: '278a4f42-3467-4424-98e6-a547646dd0fd' });
errors.validationInvalidBody({ fields: [{ field: 'body.template', location: 'body', problem: 'required', message: 'template is required' }] }, 'Request body is invalid');
errors.sandboxConflict({ sandbox_id: 's', status: 'creating', retry_after_sec: 1 });
errors.internalError();
new PandaStackApiError('template.build_failed', { template: 't', build_id: 'b', log_url: 'https://logs.example/b' });

// Another code's details.
// @ts-expect-error sandbox.not_found takes ResourceDetails, not ValidationDetails
errors.sandboxNotFound({ fields: [{ field: 'body.template', location: 'body', problem: 'required', message: 'x' }] });
// @ts-expect-error validation.invalid_body takes ValidationDetails, not ResourceDetails
errors.validationInvalidBody({ resource: 'sandbox', id: 'x' });
// @ts-expect-error template.build_failed's details are not a quota's
new PandaStackApiError('template.build_failed', { quota: 'vcpus', limit: 4, current: 4 });

// ResourceDetails' fields are optional: the published page answers sandbox.not_found with `details: {}`.
errors.sandboxNotFound({ resource: 'sandbox' });
errors.sandboxNotFound({});
// A required field missing.
// @ts-expect-error a retryable code needs retry_after_sec
errors.sandboxConflict({ sandbox_id: 's', status: 'creating' });

// Retryability and status are the catalog's.
// @ts-expect-error retryable is not the caller's to set
errors.sandboxNotFound({ resource: 'sandbox', id: 'x', retryable: false });
// @ts-expect-error there is no status argument
errors.sandboxNotFound({ resource: 'sandbox', id: 'x' }, 'gone', 410);
// @ts-expect-error status is read-only
errors.internalError().status = 503;

// Wrong values.
// @ts-expect-error resource is one of the catalog's resources
errors.sandboxNotFound({ resource: 'planet', id: 'x' });
// @ts-expect-error internal.error has no details to give
errors.internalError({ stack: 'at line 1' });
// @ts-expect-error not a code of the catalog
new PandaStackApiError('sandbox.vanished', {});
