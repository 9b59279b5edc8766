// How an operation is authenticated, read from its `security` in one place: the schemes it
// accepts (an operation without `security` takes the document's default, an API key or a JWT),
// the credential the runner sends by default, and the operations signed instead of authorised.
import type { OperationInfo } from '../../src/spec/document.js';

/** The document's default: an API key or a JWT. */
const DEFAULT_SECURITY: Record<string, unknown>[] = [{ apiKey: [] }, { jwt: [] }];

/** The operation's security requirements, the document's default where it states none. */
export function securityOf(op: OperationInfo): Record<string, unknown>[] {
  return (op.operation.security as Record<string, unknown>[] | undefined) ?? DEFAULT_SECURITY;
}

function accepts(op: OperationInfo, scheme: string): boolean {
  return securityOf(op).some((s) => scheme in s);
}

/** Operations authenticated by the GitHub webhook signature instead of a bearer credential. */
export function isSigned(op: OperationInfo): boolean {
  return accepts(op, 'githubSignature');
}

/** Operations authenticated by a database's broker_token. */
export function usesBrokerToken(op: OperationInfo): boolean {
  return accepts(op, 'brokerToken');
}

/** The credential the runner sends by default: an API key unless the operation accepts only JWTs. */
export function defaultCredential(op: OperationInfo): 'apiKey' | 'jwt' | 'none' {
  const security = securityOf(op);
  // No bearer credential: none at all, or a signature (the GitHub webhook, signed by the client).
  if (security.length === 0 || isSigned(op)) return 'none';
  return security.every((s) => Object.keys(s).length === 1 && 'jwt' in s) ? 'jwt' : 'apiKey';
}
