// What the mock holds, summed over every workspace: used to prove runs leave nothing behind.
import type { MockState } from '../../src/mock/state.js';

export function leftovers(state: MockState): { sandboxes: number; volumes: number; templates: number; extraTokens: number } {
  let sandboxes = 0;
  let volumes = 0;
  let templates = 0;
  let extraTokens = 0;
  for (const ws of state.workspaces.values()) {
    const counts = state.counts(ws);
    sandboxes += counts.sandboxes ?? 0;
    volumes += counts.volumes ?? 0;
    templates += counts.templates ?? 0;
    // Every workspace starts with one key (the default one, or the control API's).
    extraTokens += Math.max(0, (counts.tokens ?? 0) - 1);
  }
  return { sandboxes, volumes, templates, extraTokens };
}
