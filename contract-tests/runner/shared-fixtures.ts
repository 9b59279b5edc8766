// Fixtures that scenarios may share. A scenario whose request changes nothing on a conforming
// server — a read, or a request the server must refuse (broken input, bad credentials, a missing
// resource) — can use the same running sandbox, file, port, volume, template, build and API key
// as every other such scenario. Each is created once, on first use, and deleted at the end of the
// run with the rest of the run's resources. Scenarios that change state make their own.
import type { OperationInfo } from '../../src/spec/document.js';
import type { Fixtures } from './fixtures.js';
import type { Registry } from './registry.js';
import type { ResourceType } from './resources/types.js';

/**
 * Error codes whose requests a conforming server refuses before changing anything, and whose
 * scenarios change nothing themselves: not auth.token_revoked, whose set-up revokes a key, nor
 * the codes of state, rate and faults (faults are shared below on their own grounds).
 */
export function refusedUnchanged(code: string): boolean {
  return (
    code.startsWith('validation.') ||
    code.startsWith('route.') ||
    code.endsWith('.not_found') ||
    ['auth.missing_token', 'auth.invalid_token', 'auth.workspace_mismatch', 'auth.jwt_required'].includes(code)
  );
}

/** Whether a scenario may use the shared fixtures: its success reads, or changes nothing (a group says which). */
export function sharesFixtures(registry: Registry, op: OperationInfo, code: string | null, producedBy: string | null): boolean {
  if (code === null) return op.method === 'get' || registry.harmless.has(op.operationId);
  // Faults are answered before the operation runs (a real server's faults change nothing either).
  return producedBy === 'fault' || refusedUnchanged(code);
}

export class SharedFixtures {
  private readonly made = new Map<string, Promise<unknown>>();

  /** `fx` creates through the run's own client, so what it makes lives until the end of the run. */
  constructor(private readonly fx: Fixtures) {}

  /** One creation per key; a failed one is forgotten so that the next scenario tries again. */
  private once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.made.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      this.made.set(key, p);
      p.catch(() => this.made.delete(key));
    }
    return p;
  }

  sandbox(): Promise<string> {
    return this.once('sandbox', () => this.fx.sandbox('running'));
  }

  async isShared(sandboxId: string): Promise<boolean> {
    const p = this.made.get('sandbox') as Promise<string> | undefined;
    return p ? (await p.catch(() => undefined)) === sandboxId : false;
  }

  async file(path: string): Promise<string> {
    const id = await this.sandbox();
    return this.once(`file:${path}`, () => this.fx.file(id, path));
  }

  async port(port: number): Promise<number> {
    const id = await this.sandbox();
    return this.once(`port:${port}`, () => this.fx.port(id, port));
  }

  /** One per resource kind and parent. */
  resource(type: ResourceType, params: Record<string, string>): Promise<string> {
    const parents = Object.entries(params).map(([k, v]) => `${k}=${v}`).join('&');
    return this.once(`${type.kind}:${parents}`, () => type.create(this.fx, params));
  }

  volume(): Promise<string> {
    return this.once('volume', () => this.fx.volume());
  }

  token(): Promise<{ prefix: string; token: string; name: string }> {
    return this.once('token', () => this.fx.token());
  }

  currentWorkspace(): Promise<string> {
    return this.once('workspace', () => this.fx.currentWorkspace());
  }

  build(): Promise<{ id: string; name: string }> {
    return this.once('build', async () => {
      const t = await this.template(true);
      return { id: t.buildId, name: t.name };
    });
  }

  template(valid: boolean): Promise<{ name: string; buildId: string }> {
    return this.once(`template:${valid}`, () => this.fx.template(valid));
  }
}
