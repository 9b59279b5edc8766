// The resource groups of one run and the lookups over them. A run makes one from the groups it
// knows (resources/index.ts) and hands it to the client, the fixtures, the sweep, the clean-up and
// the provoking strategies: they walk it and name no resource of their own, and none of them
// imports a group, so any module loads on its own.
import type { OperationId } from '../../src/generated/error-catalog.js';
import type { PrepareHook, ProvokeHook, ProvokeKey, ResourceGroup, ResourceType } from './resources/types.js';

export class Registry {
  /** Every group's resources, parents before children and group by group. */
  readonly resources: readonly ResourceType[];
  /** Operations that change nothing when they succeed although they are not GETs. */
  readonly harmless: ReadonlySet<string>;
  /**
   * The order the clean-up deletes kinds in: the reverse of the order they are made in, so that
   * children go before their parents (sandboxes, which hold volumes, before volumes).
   */
  readonly deletionOrder: readonly string[];

  /** The groups, each after the groups it names in `after` (otherwise in the order given). */
  readonly groups: readonly ResourceGroup[];

  constructor(groups: readonly ResourceGroup[]) {
    this.groups = dependencyOrder(groups);
    this.resources = this.groups.flatMap((g) => g.resources);
    this.harmless = new Set(this.groups.flatMap((g) => g.harmless ?? []));
    this.deletionOrder = this.resources.map((r) => r.kind).reverse();
  }

  /** The resource an operation's parameter names, if a group describes it. */
  forParam(path: string, param: string, where: 'path' | 'query' = 'path'): ResourceType | undefined {
    const under = (base: string) => path === base || path.startsWith(`${base}/`);
    return this.resources.find((r) => r.param === param && (r.in ?? 'path') === where && [r.path, ...(r.alsoAt ?? [])].some(under));
  }

  kind(kind: string): ResourceType | undefined {
    return this.resources.find((r) => r.kind === kind);
  }

  /** The resources an operation's success makes, and the ids its answer names them by. */
  created(operationId: string, body: Record<string, unknown> | undefined, location: string): { type: ResourceType; ids: unknown[] }[] {
    const out: { type: ResourceType; ids: unknown[] }[] = [];
    for (const type of this.resources) {
      // Where the body is unreadable, a Location header still names what was created.
      const located = () => (type.createdBy?.fromLocation ? type.createdBy.fromLocation(location) : location.split('/').filter(Boolean).at(-1));
      if (type.createdBy?.operationId === operationId) out.push({ type, ids: [body?.[type.createdBy.idField] ?? located()] });
      for (const also of type.alsoCreatedBy ?? []) if (also.operationId === operationId) out.push({ type, ids: also.ids(body) });
    }
    return out;
  }

  /** The kind an operation creates, if it creates a resource the run deletes or lists. */
  kindCreatedBy(operationId: string): string | undefined {
    return this.resources.find((r) => r.createdBy?.operationId === operationId || r.alsoCreatedBy?.some((a) => a.operationId === operationId))?.kind;
  }

  /** Whether an operation's success may make something (the workspace is swept at the end). */
  creates(operationId: string): boolean {
    return this.kindCreatedBy(operationId) !== undefined;
  }

  /** The resource a create request names itself, and the id it gives it. */
  intended(operationId: string, call: Parameters<NonNullable<ResourceType['namedBy']>>[0]): { kind: string; id: string } | undefined {
    for (const type of this.resources) {
      if (type.createdBy?.operationId !== operationId || !type.namedBy) continue;
      const id = type.namedBy(call);
      if (id) return { kind: type.kind, id };
    }
    return undefined;
  }

  prepare(operationId: string): PrepareHook | undefined {
    for (const g of this.groups) {
      const hook = g.prepare?.[operationId as OperationId];
      if (hook) return hook;
    }
    return undefined;
  }

  provoke(key: string): ProvokeHook | undefined {
    for (const g of this.groups) {
      const hook = g.provoke?.[key as ProvokeKey];
      if (hook) return hook;
    }
    return undefined;
  }

  successStatus(operationId: string): number | undefined {
    for (const g of this.groups) {
      const status = g.successStatus?.[operationId as OperationId];
      if (status !== undefined) return status;
    }
    return undefined;
  }

  /** The operations whose success leaves what the API cannot delete, with why they may not be sent. */
  kept(): Map<string, { kind: string; what: string; flag: string }> {
    return new Map(this.resources.filter((r) => r.kept && r.createdBy).map((r) => [r.createdBy!.operationId, { kind: r.kind, ...r.kept! }]));
  }
}

/**
 * The groups with each one after those it names in `after`, otherwise in the order given (a stable
 * topological sort). A name no group has, or a cycle, is a mistake in a group file: it throws.
 */
export function dependencyOrder(groups: readonly ResourceGroup[]): ResourceGroup[] {
  const byName = new Map(groups.map((g) => [g.name, g]));
  for (const g of groups) {
    for (const name of g.after ?? []) if (!byName.has(name)) throw new Error(`resource group ${g.name}: after names ${name}, which is no group`);
  }
  const placed = new Set<string>();
  const out: ResourceGroup[] = [];
  while (out.length < groups.length) {
    const next = groups.find((g) => !placed.has(g.name) && (g.after ?? []).every((name) => placed.has(name)));
    if (!next) throw new Error(`resource groups ${groups.filter((g) => !placed.has(g.name)).map((g) => g.name).join(', ')} wait for each other (after)`);
    placed.add(next.name);
    out.push(next);
  }
  return out;
}
