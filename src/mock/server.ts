// Starting and stopping the mock, for the CLI, the contract runner and tests.
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
import { MOCK_PLUGINS } from './groups/index.js';
import { MockState, type Workspace } from './state.js';

export interface MockOptions {
  port?: number;
  /** API key of the default workspace. */
  token?: string;
  strict?: boolean;
  /** How long creating -> running takes, in ms (default 20). */
  bootDelayMs?: number;
  /** How long a template build takes, in ms (default 20). */
  buildDelayMs?: number;
  /** Requests per minute per credential; 0 turns the limit off (default 600). */
  rateLimitPerMinute?: number;
  /** The GitHub App webhook secret the webhook's signatures are checked with. */
  webhookSecret?: string;
}

export interface RunningMock {
  url: string;
  port: number;
  apiKey: string;
  jwt: string;
  /** The secret GitHub webhook deliveries must be signed with. */
  webhookSecret: string;
  workspace: Workspace;
  state: MockState;
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = 'pds_mock_0123456789abcdefghij';

export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const rate = options.rateLimitPerMinute ?? 600;
  const state = new MockState({ bootDelayMs: options.bootDelayMs ?? 20, buildDelayMs: options.buildDelayMs ?? 20, rateLimitPerMinute: rate }, MOCK_PLUGINS);
  if (options.webhookSecret) state.webhookSecret = options.webhookSecret;
  const workspace = state.createWorkspace({ name: 'Default' }, 'ws_default');
  const user = state.createUser(workspace, 'dev@pandastack.mock', 'usr_default');
  const { key } = state.createKey(workspace, user, 'default', options.token ?? DEFAULT_TOKEN);
  const app = buildApp({ state, strict: Boolean(options.strict), anonymousRateLimitPerMinute: rate });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 4010 });
  const port = (app.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    apiKey: key,
    jwt: state.signJwt(user, 30 * 24 * 3600),
    webhookSecret: state.webhookSecret,
    workspace,
    state,
    close: async () => {
      state.close();
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
