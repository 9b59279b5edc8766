// Everything a run creates, so that it can all be deleted at the end — also after a failure or
// Ctrl-C — and so that anything still there afterwards is reported.
export type ResourceKind = 'sandbox' | 'volume' | 'template' | 'token';

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

  /** Sandboxes first (they hold volumes), then volumes, templates and tokens. */
  inDeletionOrder(): Resource[] {
    const order: ResourceKind[] = ['sandbox', 'volume', 'template', 'token'];
    return [...this.items.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  }

  get size(): number {
    return this.items.size;
  }
}
