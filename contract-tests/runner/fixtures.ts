// Builds the state a scenario needs (a sandbox in some state, a file, a volume, a template...)
// through the API itself. Every response on the way is checked like any other.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Violation } from './checks.js';
import type { Call, ContractClient, Exchange } from './client.js';
import { NotProvokable } from './not-provokable.js';
import { NEEDS_ABSENT_OPERATION } from './scope.js';
import { tarOf, multipart } from './tar.js';
import type { Credentials, MockControl } from './target.js';
import type { OperationInfo } from '../../src/spec/document.js';
import type { Registry } from './registry.js';
import type { ResourceType } from './resources/types.js';

export class FixtureError extends Error {}

/** How many times one set-up step may fail in a run before scenarios stop asking for it. */
const GIVE_UP_AFTER = 3;

/** Whether the operation answers this status (or, for an undocumented 2xx, any 2xx) with JSON. */
function documentsJson(op: OperationInfo, status: number): boolean {
  const responses = op.operation.responses as Record<string, { content?: Record<string, unknown> }>;
  const candidates = responses[String(status)] ? [responses[String(status)]] : Object.entries(responses).filter(([s]) => s.startsWith('2')).map(([, r]) => r);
  return candidates.some((r) => Boolean(r?.content?.['application/json']));
}

export type SandboxState = 'running' | 'paused' | 'hibernated' | 'fork' | 'creating';

/** The metadata key that marks the sandboxes a run creates, so that a sweep can find them. */
export const RUN_MARKER = 'contract-run';

/** What every fixture of a run shares: the run's id (in every name it gives) and a name counter. */
export class RunNames {
  private counter = 0;
  readonly runId = Math.random().toString(36).slice(2, 8);

  /** A name unique to this run, valid for volumes, templates and tokens. */
  name(prefix: string): string {
    return `ct-${prefix}-${this.runId}-${++this.counter}`;
  }

  /** Set-up steps that failed, by operation and workspace: after a few, they are not tried again. */
  readonly failures = new Map<string, { count: number; first: string }>();

  /** True for a name any run gives (ct-<kind>-<run id>-<n>). */
  static given(name: string): boolean {
    return RunNames.runOf(name) !== undefined;
  }

  /** The id of the run that gave a name, if a run gave it. */
  static runOf(name: string): string | undefined {
    return /^ct-[a-z]+-([0-9a-z]{6})-\d+$/.exec(name)?.[1];
  }

  /** True for the names this run gives. */
  owns(name: string): boolean {
    return name.includes(`-${this.runId}-`);
  }

  get marker(): Record<string, string> {
    return { [RUN_MARKER]: this.runId };
  }
}

export class Fixtures {
  /** Set while preparing a --safe probe: anything that would create a resource refuses. */
  forbidCreation = false;
  /** Operations this run may not send, with the reason (undeletable.ts). */
  refused = new Map<string, string>();

  constructor(
    private readonly client: ContractClient,
    private readonly sink: Violation[],
    readonly names: RunNames,
    /** Fixtures that scenarios which change nothing may share (see shared-fixtures.ts). */
    readonly pool?: import('./shared-fixtures.js').SharedFixtures,
    readonly waitMs = 10_000,
  ) {}

  name(prefix: string): string {
    return this.names.name(prefix);
  }

  /** The run's resource groups. */
  get registry(): Registry {
    return this.client.options.registry;
  }

  /** The mock's controls, for state only the mock can make (a second user); absent on a live server. */
  get mock(): MockControl | undefined {
    return this.client.target.mock;
  }

  /** True when the run can sign GitHub webhook deliveries (it holds the webhook secret). */
  signsWebhooks(creds?: Credentials): boolean {
    return Boolean((creds ?? this.client.target.credentials).webhookSecret);
  }

  /** Sends a set-up call; it must succeed (2xx), or answer `status` when one is given (a redirect). */
  async do(call: Call, what: string, status?: number): Promise<Exchange> {
    const op = this.client.op(call.operationId);
    if (this.forbidCreation && op.method !== 'get') throw new NotProvokable(`it would ${what} (--safe)`);
    const refused = this.refused.get(call.operationId);
    if (refused) throw new NotProvokable(refused);
    const creds = call.creds ?? this.client.target.credentials;
    const auth = call.auth ?? this.client.defaultAuth(op);
    if (auth === 'jwt' && !creds.jwt) throw new NotProvokable(`needs a JWT to ${what} (--jwt)`);
    // A server that keeps failing the same set-up would otherwise be asked again for every
    // scenario, piling up whatever each attempt created.
    const key = `${call.operationId} ${creds.apiKey}`;
    const given = this.names.failures.get(key);
    if (given && given.count >= GIVE_UP_AFTER) throw new FixtureError(`not tried again: could not ${what} ${given.count} times in this run; the first time: ${given.first}`);
    try {
      const ex = await this.client.call(call);
      this.sink.push(...ex.violations);
      const got = ex.res?.status ?? 0;
      if (status !== undefined ? got !== status : got < 200 || got >= 300) {
        // A server that implements part of the API: set-up through what it lacks is impossible here.
        if (this.client.options.scope?.absent.has(call.operationId)) throw new NotProvokable(NEEDS_ABSENT_OPERATION);
        throw new FixtureError(`could not ${what}: ${call.operationId} answered ${got || 'nothing'}${status !== undefined ? ` where ${status} was expected` : ''} ${ex.res ? ex.res.body.toString('utf8').slice(0, 200) : ''}`);
      }
      // The next step reads the answer: one that is not the JSON it documents stops here.
      if ((ex.json === undefined || typeof ex.json !== 'object') && documentsJson(op, got)) {
        throw new FixtureError(`could not ${what}: ${call.operationId} answered ${got} with ${String(ex.res!.headers['content-type'] ?? 'no Content-Type')}, not readable JSON`);
      }
      return ex;
    } catch (e) {
      if (e instanceof FixtureError) {
        const seen = this.names.failures.get(key);
        this.names.failures.set(key, { count: (seen?.count ?? 0) + 1, first: seen?.first ?? e.message });
      }
      throw e;
    }
  }

  /** A non-empty string field of an answer, or a FixtureError naming the answer. */
  field(ex: Exchange, name: string, what: string): string {
    const value = (ex.json as Record<string, unknown> | undefined)?.[name];
    if (typeof value === 'string' && value) return value;
    throw new FixtureError(`could not ${what}: ${ex.req.method} ${new URL(ex.req.url).pathname} answered ${ex.res?.status} without a string "${name}": ${ex.res?.body.toString('utf8').slice(0, 200)}`);
  }

  /** Polls a sandbox until it reaches a state, starting at 20 ms and backing off to 250 ms. */
  private async waitFor(sandboxId: string, status: string, creds?: Credentials): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    for (let delay = 20; Date.now() < deadline; delay = Math.min(delay * 2, 250)) {
      await sleep(delay);
      const ex = await this.do({ operationId: 'getSandbox', params: { id: sandboxId }, creds }, 'read a sandbox');
      if ((ex.json as { status?: string }).status === status) return;
    }
    throw new FixtureError(`sandbox ${sandboxId} did not become ${status} within ${this.waitMs} ms`);
  }

  /** A sandbox in a state; `share: false` for one the caller will move to another state. */
  async sandbox(state: SandboxState = 'running', creds?: Credentials, body: Record<string, unknown> = {}, share = true): Promise<string> {
    if (share && this.pool && state === 'running' && !creds && Object.keys(body).length === 0) return this.pool.sandbox();
    const created = await this.do(
      { operationId: 'createSandbox', json: { template: 'base', ttl_seconds: 600, ...body, metadata: { ...(body.metadata as object), ...this.names.marker } }, creds },
      'create a sandbox',
    );
    const id = this.field(created, 'id', 'create a sandbox');
    const status = (created.json as { status?: unknown }).status;
    if (state === 'creating') return id;
    // A server that boots at once answers `running` already: no need to ask again.
    if (status !== 'running') await this.waitFor(id, 'running', creds);
    if (state === 'paused' || state === 'hibernated') await this.settle(id, state, creds);
    if (state === 'fork') {
      // The answer names the children once they are up (ForkResult.children).
      const child = await this.do({ operationId: 'forkSandbox', params: { id }, json: { count: 1 }, creds }, 'fork a sandbox');
      const childId = (child.json as { children?: unknown[] }).children?.[0];
      if (typeof childId !== 'string' || !childId) throw new FixtureError(`could not fork a sandbox: forkSandbox answered without a child id: ${child.res?.body.toString('utf8').slice(0, 200)}`);
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
    if (this.pool && (await this.pool.isShared(sandboxId))) return this.pool.file(path);
    await this.do({ operationId: 'writeFile', params: { id: sandboxId }, query: { path }, raw: { body: 'hello\n', contentType: 'application/octet-stream' } }, 'write a file');
    return path;
  }

  async port(sandboxId: string, port = 3000): Promise<number> {
    if (this.pool && (await this.pool.isShared(sandboxId))) return this.pool.port(port);
    await this.do({ operationId: 'exposePort', params: { id: sandboxId }, json: { port } }, 'expose a port');
    return port;
  }

  /** A REPL session in a running sandbox (it goes with the sandbox). */
  async replSession(sandboxId: string, creds?: Credentials): Promise<string> {
    const ex = await this.do({ operationId: 'createReplSession', params: { id: sandboxId }, json: { language: 'python' }, creds }, 'start a REPL session');
    return (ex.json as { id: string }).id;
  }

  /** One of a group's resources (resources/); shared where the scenario changes nothing. */
  async resource(type: ResourceType, params: Record<string, string> = {}, creds?: Credentials): Promise<string> {
    if (this.pool && !creds && type.shared !== false) return this.pool.resource(type, params);
    return type.create(this, params, creds);
  }

  /** The id in a group's create answer, or a FixtureError naming the answer. */
  idOf(ex: Exchange, type: ResourceType): string {
    return this.field(ex, type.createdBy?.idField ?? 'id', `create a ${type.kind}`);
  }

  async volume(creds?: Credentials, sizeMb = 16): Promise<string> {
    if (this.pool && !creds && sizeMb === 16) return this.pool.volume();
    const ex = await this.do({ operationId: 'createVolume', json: { name: this.name('vol'), size_mb: sizeMb }, creds }, 'create a volume');
    return this.field(ex, 'name', 'create a volume');
  }

  async token(creds?: Credentials): Promise<{ prefix: string; token: string; name: string }> {
    if (this.pool && !creds) return this.pool.token();
    const name = this.name('key');
    const ex = await this.do({ operationId: 'createToken', json: { label: name }, creds }, 'create an API key');
    const body = { prefix: this.field(ex, 'prefix', 'create an API key'), token: this.field(ex, 'token', 'create an API key') };
    return { prefix: body.prefix, token: body.token, name };
  }

  async currentWorkspace(creds?: Credentials): Promise<string> {
    if (this.pool && !creds) return this.pool.currentWorkspace();
    const ex = await this.do({ operationId: 'getMe', auth: 'jwt', creds }, 'read the signed-in user');
    // The current workspace is the id of getMe's `current_org` (null for a user in no workspace).
    const current = (ex.json as { current_org?: { id?: unknown } | null } | undefined)?.current_org;
    if (current && typeof current.id === 'string' && current.id) return current.id;
    throw new FixtureError(`could not read the signed-in user's current workspace: GET /v1/me answered ${ex.res?.status} without a "current_org" with a string "id": ${ex.res?.body.toString('utf8').slice(0, 200)}`);
  }

  templateBuildBody(name: string, valid: boolean): { body: Buffer; contentType: string } {
    const rootfs = valid ? tarOf('Dockerfile', 'FROM ubuntu:24.04\nRUN echo ready\n') : Buffer.alloc(0);
    return multipart({ name, size_mb: '512', cpu: '1', memory_mb: '512' }, { name: 'rootfs', filename: 'context.tar', type: 'application/x-tar', data: rootfs });
  }

  /** Starts a build; returns the build id and template name without waiting. */
  async startBuild(valid = true, name?: string, creds?: Credentials): Promise<{ id: string; name: string }> {
    if (this.pool && valid && !name && !creds) return this.pool.build();
    name ??= this.name('tpl');
    const { body, contentType } = this.templateBuildBody(name, valid);
    const ex = await this.do({ operationId: 'buildTemplate', raw: { body, contentType }, creds }, 'start a template build');
    return { id: this.field(ex, 'id', 'start a template build'), name };
  }

  /** A template whose build finished, successfully or not. */
  async template(valid = true, creds?: Credentials): Promise<{ name: string; buildId: string }> {
    if (this.pool && !creds) return this.pool.template(valid);
    const build = await this.startBuild(valid, undefined, creds);
    const deadline = Date.now() + this.waitMs;
    for (let delay = 1; Date.now() < deadline; delay = Math.min(delay * 2, 100)) {
      const ex = await this.do({ operationId: 'getBuild', params: { id: build.id }, creds }, 'read a build');
      const status = (ex.json as { status: string }).status;
      if (status === 'done' || status === 'failed') {
        if ((status === 'done') !== valid) throw new FixtureError(`build ${build.id} ${status}, expected ${valid ? 'success' : 'failure'}`);
        return { name: build.name, buildId: build.id };
      }
      await sleep(delay);
    }
    throw new FixtureError(`build ${build.id} did not finish within ${this.waitMs} ms`);
  }
}
