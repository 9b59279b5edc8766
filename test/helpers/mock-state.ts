// What the mock holds, summed over every workspace: used to prove runs leave nothing behind.
import type { MockState } from '../../src/mock/state.js';

export function leftovers(state: MockState): { sandboxes: number; volumes: number; templates: number; extraTokens: number } {
  let sandboxes = 0;
  let volumes = 0;
  let templates = 0;
  let extraTokens = 0;
  for (const ws of state.workspaces.values()) {
    sandboxes += ws.sandboxes.size;
    volumes += ws.volumes.size;
    templates += ws.templates.size;
    // Every workspace starts with one key (the default one, or the control API's).
    extraTokens += Math.max(0, [...ws.tokens.values()].filter((t) => !t.revoked).length - 1);
  }
  return { sandboxes, volumes, templates, extraTokens };
}
