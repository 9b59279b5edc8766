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

/** The core operations that create something the run must delete, by the kind they create. */
const CORE_CREATES: Record<string, ResourceKind> = {
  createSandbox: 'sandbox', forkSandbox: 'sandbox', forkSandboxTree: 'sandbox', createVolume: 'volume', buildTemplate: 'template', createToken: 'token',
};

/** The kind of resource an operation creates, if it creates one the run deletes. */
export function kindCreatedBy(operationId: string): ResourceKind | undefined {
  return CORE_CREATES[operationId] ?? RESOURCE_TYPES.find((r) => r.createdBy.operationId === operationId)?.kind;
}

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
