// Where a Schemathesis check does not apply to this API, and why: each entry turns one check off
// (or widens what it accepts) for the named operations only. docs/schemathesis.md explains every
// entry at length; test/fuzz-schemathesis.test.ts checks that it names each one.

export type SchemathesisCheck =
  | 'not_a_server_error'
  | 'status_code_conformance'
  | 'content_type_conformance'
  | 'response_headers_conformance'
  | 'response_schema_conformance'
  | 'negative_data_rejection'
  | 'positive_data_acceptance'
  | 'missing_required_header'
  | 'unsupported_method'
  | 'allow_header_conformance'
  | 'use_after_free'
  | 'ensure_resource_availability'
  | 'ignored_auth';

export interface Exclusion {
  /** A short name, the heading of its section in docs/schemathesis.md. */
  name: string;
  check: SchemathesisCheck;
  operations: string[];
  /** Instead of turning the check off: statuses it should also accept (positive_data_acceptance). */
  alsoExpect?: string[];
  reason: string;
}

export const EXCLUSIONS: Exclusion[] = [
  {
    name: 'metrics-range',
    check: 'positive_data_acceptance',
    operations: ['getMetricsOverview', 'getSandboxMetricsHistory'],
    reason: 'The range rules join two parameters (`to` not before `from`, at most 30 days apart); JSON Schema describes each value alone, so Schemathesis calls a reversed or too long range schema-valid, and the documented 400 metrics.invalid_range is right.',
  },
  {
    name: 'function-bundle',
    check: 'positive_data_acceptance',
    operations: ['deployFunction'],
    reason: 'The body is a gzip or tar.gz archive; the schema can only say "bytes", so random bytes are schema-valid and the documented 400 validation.invalid_body is right.',
  },
  {
    name: 'websocket-upgrade-5xx',
    check: 'not_a_server_error',
    operations: ['execPty', 'execWebSocket', 'connectLsp'],
    reason: 'These operations answer 101 Switching Protocols and then speak WebSocket; Schemathesis sends the upgrade headers over plain HTTP and cannot complete the handshake, and reports the documented 101 as a server error.',
  },
  {
    name: 'websocket-upgrade-acceptance',
    check: 'positive_data_acceptance',
    operations: ['execPty', 'execWebSocket', 'connectLsp'],
    reason: 'The same handshake: the documented 101 is not among the statuses Schemathesis counts as accepted.',
  },
  {
    name: 'runtime-logs-not-running',
    check: 'not_a_server_error',
    operations: ['getAppRuntimeLogs'],
    reason: 'An app that was never deployed has no runtime to read logs from: the documented answer is 503 app.not_running, a state of the app, not a crash of the server.',
  },
  {
    name: 'event-stream-records',
    check: 'response_schema_conformance',
    operations: ['execStream', 'getSandboxLogs', 'streamSandboxEvents', 'getBuildLogs', 'getAppDeployLogs', 'getAppRuntimeLogs'],
    reason: 'The spec (OpenAPI 3.1) gives the schema of each event\'s `data`, as the service documents it; Schemathesis applies a text/event-stream schema to the whole event record (event, data, id) as OpenAPI 3.2\'s itemSchema would, so it checks the wrong object: a record misses the data\'s required fields, or is not the string a log line is.',
  },
  {
    name: 'sandbox-create-rules',
    check: 'positive_data_acceptance',
    operations: ['createSandbox'],
    alsoExpect: ['400', '422'],
    reason: 'SandboxCreate states two rules in prose only, so that generated clients can send it: a body needs a template or from_snapshot, and a restore takes no volumes; a schema-valid body that breaks one is refused with the documented 400 validation.invalid_body. A sandbox made from a template whose build failed is refused with the documented 422 template.build_failed: the template name is schema-valid, the template\'s state (set by an earlier request of the same run) is not.',
  },
  {
    name: 'overlapping-template-paths',
    check: 'allow_header_conformance',
    operations: ['buildTemplate', 'listTemplateBuilds'],
    reason: '/v1/templates/build and /v1/templates/builds are also URLs of /v1/templates/{name} (a template named "build" or "builds"): the service routes GET and DELETE on them to getTemplate and deleteTemplate, so the Allow header of a 405 rightly names those methods, which Schemathesis counts against the literal path alone.',
  },
  {
    name: 'deploys-of-any-app',
    check: 'use_after_free',
    operations: ['listAppDeploys'],
    reason: 'The service lists deployments by app id without looking the app up (api/cmd/api/apps.go listDeploys), so the listing of a deleted app answers 200, as the spec documents (no 404); Schemathesis expects 404 on every read under a deleted resource.',
  },
];
