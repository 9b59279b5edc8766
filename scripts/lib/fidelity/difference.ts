// One way the spec and the source's facts disagree, named so a decision can refer to it.
export type DifferenceKind =
  | 'route-not-in-source'
  | 'route-not-in-spec'
  | 'status-not-in-spec'
  | 'status-not-in-source'
  | 'body-type'
  | 'property-not-in-spec'
  | 'property-not-in-source'
  | 'required-not-in-spec'
  | 'required-not-always-written'
  | 'request-field-not-in-spec'
  | 'query-not-in-spec';

export const DIFFERENCE_KINDS: readonly DifferenceKind[] = [
  'route-not-in-source', 'route-not-in-spec', 'status-not-in-spec', 'status-not-in-source', 'body-type',
  'property-not-in-spec', 'property-not-in-source', 'required-not-in-spec', 'required-not-always-written',
  'request-field-not-in-spec', 'query-not-in-spec',
];

export interface Difference {
  /** operationId, or `METHOD /path` for a source route the spec lacks. */
  operation: string;
  kind: DifferenceKind;
  /** The fact, short: a status, `200 name`, a field or query name, `METHOD /path`. */
  fact: string;
  /** Where the source states it (file:line in the service), or '' when the source is silent. */
  loc: string;
  /** A sentence a person can act on. */
  message: string;
}

export const differenceKey = (d: Pick<Difference, 'operation' | 'kind' | 'fact'>) => `${d.operation} | ${d.kind} | ${d.fact}`;
