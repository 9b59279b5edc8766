// Builds the state a scenario needs (a sandbox in some state, a file, a volume, a template...)
// through the API itself. Every response on the way is checked like any other.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Violation } from './checks.js';
import type { Call, ContractClient, Exchange } from './client.js';
import { NotProvokable } from './not-provokable.js';
import { tarOf, multipart } from './tar.js';
import type { Credentials } from './target.js';

export class FixtureError extends Error {}

export type SandboxState = 'running' | 'paused' | 'hibernated' | 'fork' | 'creating';

export class Fixtures {
  private counter = 0;
  /** Set while preparing a --safe probe: anything that would create a resource refuses. */
  forbidCreation = false;
  readonly runId = Math.random().toString(36).slice(2, 8);

  constructor(
    private readonly client: ContractClient,
    private readonly sink: Violation[],
    private readonly waitMs = 10_000,
  ) {}

  /** A name unique to this run, valid for volumes, templates and tokens. */
  name(prefix: string): string {
    return `ct-${prefix}-${this.runId}-${++this.counter}`;
  }

  async do(call: Call, what: string): Promise<Exchange> {
    if (this.forbidCreation && this.client.op(call.operationId).method !== 'get') throw new NotProvokable(`it would ${what} (--safe)`);
    const ex = await this.client.call(call);
    this.sink.push(...ex.violations);
    const status = ex.res?.status ?? 0;
    if (status < 200 || status >= 300) {
      throw new FixtureError(`could not ${what}: ${call.operationId} answered ${status || 'nothing'} ${ex.res ? ex.res.body.toString('utf8').slice(0, 200) : ''}`);
    }
    return ex;
  }

  private async waitFor(sandboxId: string, status: string, creds?: Credentials): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    for (let delay = 1; Date.now() < deadline; delay = Math.min(delay * 2, 100)) {
      const ex = await this.do({ operationId: 'getSandbox', params: { id: sandboxId }, creds }, 'read a sandbox');
      if ((ex.json as { status?: string }).status === status) return;
      await sleep(delay);
    }
    throw new FixtureError(`sandbox ${sandboxId} did not become ${status} within ${this.waitMs} ms`);
  }

  async sandbox(state: SandboxState = 'running', creds?: Credentials, body: Record<string, unknown> = {}): Promise<string> {
    const created = await this.do({ operationId: 'createSandbox', json: { template: 'base', ttl_seconds: 600, ...body }, creds }, 'create a sandbox');
    const id = (created.json as { id: string }).id;
    if (state === 'creating') return id;
    await this.waitFor(id, 'running', creds);
    if (state === 'paused' || state === 'hibernated') await this.settle(id, state, creds);
    if (state === 'fork') {
      const child = await this.do({ operationId: 'forkSandbox', params: { id }, json: {}, creds }, 'fork a sandbox');
      const childId = (child.json as { id: string }).id;
      await this.waitFor(childId, 'running', creds);
      return childId;
    }
    return id;
  }

  /** Moves a running sandbox to paused or hibernated. */
  async settle(id: string, state: 'paused' | 'hibernated', creds?: Credentials): Promise<void> {
    if (state === 'paused') await this.do({ operationId: 'pauseSandbox', params: { id }, creds }, 'pause a sandbox');
    else {
      await this.do({ operationId: 'hibernateSandbox', params: { id }, creds }, 'hibernate a sandbox');
      await this.waitFor(id, 'hibernated', creds);
    }
  }

  async file(sandboxId: string, path = '/workspace/contract.txt'): Promise<string> {
    await this.do({ operationId: 'writeFile', params: { id: sandboxId }, query: { path }, raw: { body: 'hello\n', contentType: 'application/octet-stream' } }, 'write a file');
    return path;
  }

  async port(sandboxId: string, port = 3000): Promise<number> {
    await this.do({ operationId: 'exposePort', params: { id: sandboxId }, json: { port } }, 'expose a port');
    return port;
  }

  async volume(creds?: Credentials, sizeMb = 16): Promise<string> {
    const ex = await this.do({ operationId: 'createVolume', json: { name: this.name('vol'), size_mb: sizeMb }, creds }, 'create a volume');
    return (ex.json as { name: string }).name;
  }

  async token(creds?: Credentials): Promise<{ prefix: string; token: string; name: string }> {
    const name = this.name('key');
    const ex = await this.do({ operationId: 'createToken', json: { name }, creds }, 'create an API key');
    const body = ex.json as { prefix: string; token: string };
    return { prefix: body.prefix, token: body.token, name };
  }

  async currentWorkspace(creds?: Credentials): Promise<string> {
    const ex = await this.do({ operationId: 'getMe', auth: 'jwt', creds }, 'read the signed-in user');
    return (ex.json as { workspace_id: string }).workspace_id;
  }

  templateBuildBody(name: string, valid: boolean): { body: Buffer; contentType: string } {
    const rootfs = valid ? tarOf('Dockerfile', 'FROM ubuntu:24.04\nRUN echo ready\n') : Buffer.alloc(0);
    return multipart({ name, size_mb: '512', cpu: '1', memory_mb: '512' }, { name: 'rootfs', filename: 'context.tar', type: 'application/x-tar', data: rootfs });
  }

  /** Starts a build; returns the build id and template name without waiting. */
  async startBuild(valid = true, name = this.name('tpl'), creds?: Credentials): Promise<{ id: string; name: string }> {
    const { body, contentType } = this.templateBuildBody(name, valid);
    const ex = await this.do({ operationId: 'buildTemplate', raw: { body, contentType }, creds }, 'start a template build');
    return { id: (ex.json as { id: string }).id, name };
  }

  /** A template whose build finished, successfully or not. */
  async template(valid = true, creds?: Credentials): Promise<{ name: string; buildId: string }> {
    const build = await this.startBuild(valid, undefined, creds);
    const deadline = Date.now() + this.waitMs;
    for (let delay = 1; Date.now() < deadline; delay = Math.min(delay * 2, 100)) {
      const ex = await this.do({ operationId: 'getBuild', params: { id: build.id }, creds }, 'read a build');
      const status = (ex.json as { status: string }).status;
      if (status === 'succeeded' || status === 'failed') {
        if ((status === 'succeeded') !== valid) throw new FixtureError(`build ${build.id} ${status}, expected ${valid ? 'success' : 'failure'}`);
        return { name: build.name, buildId: build.id };
      }
      await sleep(delay);
    }
    throw new FixtureError(`build ${build.id} did not finish within ${this.waitMs} ms`);
  }
}
