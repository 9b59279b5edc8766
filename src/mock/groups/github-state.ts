// What the mock knows from GitHub, held once for the whole mock: the webhook deliveries it
// accepted and the App installations their `installation` events described. The webhook
// (github.ts) writes it; the apps' connect flow (apps.ts) reads what GitHub would say of an
// installation from it.
import { globalState } from '../plugin.js';

/** An installation of the GitHub App as its `installation` webhook described it. */
export interface GithubInstallationRecord {
  id: number;
  created_at: string;
  account_login: string;
  account_type: string;
  repositories: { id: number; name: string; full_name: string; private: boolean }[];
}

export interface GithubState {
  /** Deliveries accepted, newest last (event, delivery id, body), at most 100. */
  deliveries: { event: string; delivery: string; body: unknown }[];
  /** Installations recorded from `installation` events, by id. */
  installations: Map<number, GithubInstallationRecord>;
}

export const githubOf = globalState<GithubState>('github', () => ({ deliveries: [], installations: new Map() }));
