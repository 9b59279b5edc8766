// Rules of a request body that its schema states in prose only, so that the generated clients of
// every language can still send the body (spec/components/schemas/SandboxCreate.yaml says why).
// A generated body that ajv accepts but a rule refuses is not a valid request: the judge expects
// the service's 400 validation.invalid_body naming the rule's field, as for any broken body.

export interface BodyRule {
  operationId: string;
  /** The field the service's validation error names. */
  field: string;
  /** What the body breaks, for the report. */
  how: string;
  breaks(body: Record<string, unknown>): boolean;
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

export const BODY_RULES: BodyRule[] = [
  {
    operationId: 'createSandbox',
    field: 'body.template',
    how: 'neither template nor from_snapshot (the service needs one of them)',
    breaks: (b) => !present(b.template) && !present(b.from_snapshot),
  },
  {
    operationId: 'createSandbox',
    field: 'body.volumes',
    how: 'volumes on a restore from a snapshot (the snapshot fixes the devices)',
    breaks: (b) => present(b.from_snapshot) && Array.isArray(b.volumes) && b.volumes.length > 0,
  },
];

/** The first rule the body breaks, in the order the service checks them; undefined if none. */
export function brokenBodyRule(operationId: string, body: unknown, rules: BodyRule[] = BODY_RULES): { field: string; how: string } | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const rule = rules.find((r) => r.operationId === operationId && r.breaks(body as Record<string, unknown>));
  return rule && { field: rule.field, how: rule.how };
}
