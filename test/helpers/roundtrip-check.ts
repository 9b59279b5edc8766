// What every round-trip driver must print (test/languages/roundtrip/README.md), and the check of
// it: one function, so that the matrix and its own test (a broken output must fail) agree.
export const FILE_TEXT = 'hello from a generated client';
export const MISSING_SANDBOX = '00000000-0000-4000-8000-000000000000';

/** The body of the server newer than every catalog. */
export const UNKNOWN_ERROR = {
  error: {
    code: 'capacity.region_draining',
    message: 'The region is being drained; retry in a few seconds.',
    request_id: 'req_Zq8mJ2xV7bN4cK1pL5sT9wYh',
    details: { retryable: true, retry_after_sec: 7, region: 'eu-2' },
  },
};

interface ErrorReading {
  http_status: number;
  code: string;
  known: boolean;
  request_id: string;
  retryable: boolean;
  retry_after_sec: number | null;
  details: Record<string, unknown>;
}

type Expected = Partial<Omit<ErrorReading, 'details'>> & { details?: Record<string, unknown> };

function expectError(name: string, got: ErrorReading | undefined, want: Expected): string[] {
  if (!got) return [`errors.${name} is missing`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(want)) {
    if (key === 'details') continue;
    if ((got as unknown as Record<string, unknown>)[key] !== value) problems.push(`errors.${name}.${key} is ${JSON.stringify((got as unknown as Record<string, unknown>)[key])}, expected ${JSON.stringify(value)}`);
  }
  for (const [key, value] of Object.entries(want.details ?? {})) {
    if (got.details?.[key] !== value) problems.push(`errors.${name}.details.${key} is ${JSON.stringify(got.details?.[key])}, expected ${JSON.stringify(value)}`);
  }
  if (!/^req_[A-Za-z0-9]+$/.test(String(got.request_id))) problems.push(`errors.${name}.request_id ${JSON.stringify(got.request_id)} is not a request id`);
  return problems;
}

function roundTripProblems(r: Record<string, unknown> | undefined): string[] {
  if (!r) return ['roundtrip is missing'];
  const want: Record<string, unknown> = { status: 'running', bytes: Buffer.byteLength(FILE_TEXT), stdout: FILE_TEXT, exit_code: 0, read: FILE_TEXT };
  const problems = Object.entries(want).filter(([k, v]) => r[k] !== v).map(([k, v]) => `roundtrip.${k} is ${JSON.stringify(r[k])}, expected ${JSON.stringify(v)}`);
  if (r.created_status !== 'creating' && r.created_status !== 'running') problems.push(`roundtrip.created_status is ${JSON.stringify(r.created_status)}`);
  return problems;
}

/** The problems with a driver's output line; none when the round trip and the four errors are right. */
export function checkDriverOutput(line: string, quotaStatus: number): string[] {
  let out: { roundtrip?: Record<string, unknown>; errors?: Record<string, ErrorReading> };
  try {
    out = JSON.parse(line) as typeof out;
  } catch {
    return [`the driver's last line is not JSON: ${line.slice(0, 200)}`];
  }
  const errors = out.errors ?? {};
  const rate = errors.rate_limited;
  return [
    ...roundTripProblems(out.roundtrip),
    ...expectError('not_found', errors.not_found, { http_status: 404, code: 'sandbox.not_found', known: true, retryable: false, retry_after_sec: null, details: { id: MISSING_SANDBOX, resource: 'sandbox' } }),
    ...expectError('quota', errors.quota, { http_status: quotaStatus, code: 'quota.sandboxes_exceeded', known: true, retryable: false, details: { quota: 'sandboxes', limit: 0 } }),
    ...expectError('rate_limited', rate, { http_status: 429, code: 'rate_limit.api', known: true, retryable: true, details: { limit: 1, retryable: true } }),
    ...(rate && !(typeof rate.retry_after_sec === 'number' && rate.retry_after_sec > 0) ? [`errors.rate_limited.retry_after_sec is ${JSON.stringify(rate.retry_after_sec)}`] : []),
    ...expectError('unknown', errors.unknown, { ...UNKNOWN_ERROR.error, message: undefined, http_status: 503, known: false, retryable: true, retry_after_sec: 7, details: { region: 'eu-2' } } as Expected),
  ];
}
