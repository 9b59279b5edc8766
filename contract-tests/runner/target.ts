// Where a run sends its requests, with which credentials, and — against the embedded mock — the
// mock-only controls that make infrastructure failures, quotas and rate limits reachable.
export interface Credentials {
  apiKey: string;
  jwt?: string;
  workspace?: string;
  /** The GitHub App webhook secret, to sign webhook deliveries (X-Hub-Signature-256). */
  webhookSecret?: string;
}

export interface WorkspaceOptions {
  quotas?: Record<string, number>;
  rateLimitPerMinute?: number;
  bootDelayMs?: number;
  /** Create answers at once with `creating` and boots after bootDelayMs (the service waits for the boot). */
  asyncBoot?: boolean;
  buildDelayMs?: number;
}

/** Mock-only controls; absent against a live server. */
export interface MockControl {
  /** Request headers that make the mock answer with a fault code. */
  faultHeaders(code: string): Record<string, string>;
  /** A fresh isolated workspace with the given limits. */
  createWorkspace(options: WorkspaceOptions): Promise<Credentials & { workspace: string }>;
  /** Resource counts of a workspace, to prove nothing was left behind. */
  counts(workspace: string): Promise<Record<string, number>>;
}

export interface Target {
  baseUrl: string;
  credentials: Credentials;
  mock?: MockControl;
  /** The workspace the run acts in, where known (the embedded mock's). */
  workspaceId?: string;
  close?: () => Promise<void>;
}
