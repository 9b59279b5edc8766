// Everything a run creates, so that it can all be deleted at the end — also after a failure or
// Ctrl-C — and so that anything still there afterwards is reported. The order of deletion is the
// registry's (registry.ts): the ledger only holds.

/** A kind of resource, as a group names it (resources/): `sandbox`, `volume`, `database`, ... */
export type ResourceKind = string;

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

  /** What it holds, in the order it was added. */
  all(): Resource[] {
    return [...this.items.values()];
  }

  get size(): number {
    return this.items.size;
  }
}
