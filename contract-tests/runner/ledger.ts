// Everything a run creates, so that it can all be deleted at the end — also after a failure or
// Ctrl-C — and so that anything still there afterwards is reported.
import { RESOURCE_TYPES } from './resources/index.js';

/** The core kinds, and those of the resource groups (resources/). */
export type ResourceKind = 'sandbox' | 'volume' | 'template' | 'token' | (string & {});

/**
 * Sandboxes first (they hold volumes), then the groups' resources, children before parents,
 * then volumes, templates and API keys.
 */
export const DELETION_ORDER: ResourceKind[] = ['sandbox', ...RESOURCE_TYPES.map((r) => r.kind).reverse(), 'volume', 'template', 'token'];

export interface Resource {
  kind: ResourceKind;
  id: string;
  /** The credentials that created it (resources may live in other workspaces). */
  token: string;
  jwt?: string;
}

export class Ledger {
  private readonly items = new Map<string, Resource>();

  add(resource: Resource): void {
    this.items.set(`${resource.kind}:${resource.id}`, resource);
  }

  has(kind: ResourceKind, id: string): boolean {
    return this.items.has(`${kind}:${id}`);
  }

  forget(kind: ResourceKind, id: string): void {
    this.items.delete(`${kind}:${id}`);
  }

  inDeletionOrder(): Resource[] {
    return [...this.items.values()].sort((a, b) => DELETION_ORDER.indexOf(a.kind) - DELETION_ORDER.indexOf(b.kind));
  }

  get size(): number {
    return this.items.size;
  }
}
