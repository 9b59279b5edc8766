// The resource groups (contract-tests/runner/resources/) name only what the spec and the error
// catalog hold: every hook, handler and table key is an operation of the spec (listOperations) or
// a code an operation documents, every create, delete and listing operation exists and takes the
// parameter the group says. A typo in a key would otherwise make its strategy silently unused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_CATALOG, OPERATION_ERRORS } from '../src/generated/error-catalog.js';
import { listOperations, loadDocument, type OperationInfo } from '../src/spec/document.js';
import { PROBES } from '../contract-tests/runner/preflight.js';
import { methodNotAllowedProbe, SAFE_CODES } from '../contract-tests/runner/scenario.js';
import { refusedUnchanged } from '../contract-tests/runner/shared-fixtures.js';
import { RESOURCE_GROUPS } from '../contract-tests/runner/resources/index.js';
import { dependencyOrder, Registry } from '../contract-tests/runner/registry.js';
import type { ResourceGroup } from '../contract-tests/runner/resources/types.js';

const operations = new Map(listOperations(loadDocument()).map((o) => [o.operationId, o]));
const codes = new Set(Object.keys(ERROR_CATALOG));
/** The codes an operation documents, over all its statuses. */
const documented = (operationId: string) =>
  new Set(Object.values((OPERATION_ERRORS as Record<string, { errors: Record<number, readonly string[]> }>)[operationId]?.errors ?? {}).flat());

function op(operationId: string, where: string): OperationInfo {
  const found = operations.get(operationId);
  assert.ok(found, `${where}: ${operationId} is not an operation of the spec`);
  return found;
}

describe('the resource groups', () => {
  for (const group of RESOURCE_GROUPS) {
    it(`${group.name}: every hook and table key names an operation of the spec or a code it documents`, () => {
      for (const key of Object.keys(group.prepare ?? {})) op(key, `${group.name} prepare`);
      for (const key of group.harmless ?? []) op(key, `${group.name} harmless`);
      for (const [key, status] of Object.entries(group.successStatus ?? {})) {
        assert.ok(String(status) in (op(key, `${group.name} successStatus`).operation.responses as object), `${key} does not document ${status}`);
      }
      for (const key of Object.keys(group.provoke ?? {})) {
        const [first, code] = key.includes(':') ? key.split(':') as [string, string] : [undefined, key];
        assert.ok(codes.has(code), `${group.name} provoke ${key}: ${code} is not in the error catalog`);
        if (first) assert.ok(documented(op(first, `${group.name} provoke`).operationId).has(code), `${group.name} provoke ${key}: ${first} does not document ${code}`);
      }
    });

    for (const type of group.resources) {
      it(`${group.name}: ${type.kind} is made, deleted, listed and named missing through operations that exist`, () => {
        const where = `${group.name} ${type.kind}`;
        if (type.createdBy) op(type.createdBy.operationId, `${where} createdBy`);
        for (const also of type.alsoCreatedBy ?? []) op(also.operationId, `${where} alsoCreatedBy`);
        if (type.listedBy) assert.equal(op(type.listedBy.operationId, `${where} listedBy`).method, 'get');
        if (type.deleteBy) {
          const d = op(type.deleteBy.operationId, `${where} deleteBy`);
          assert.equal(d.method, 'delete', `${where}: ${d.operationId} is not a DELETE`);
          assert.ok(d.parameters.some((p) => p.in === 'path' && p.name === type.deleteBy!.param), `${where}: ${d.operationId} takes no path parameter ${type.deleteBy.param}`);
        }
        if (type.notFound) assert.ok(codes.has(type.notFound.code), `${where}: ${type.notFound.code} is not in the error catalog`);
        assert.ok(!(type.deleteBy && type.kept), `${where} is both deleted and kept`);
      });
    }
  }

  it('every not-found code a group names is documented by an operation that takes the resource', () => {
    for (const type of new Registry(RESOURCE_GROUPS).resources.filter((r) => r.notFound)) {
      const users = [...operations.values()].filter((o) => documented(o.operationId).has(type.notFound!.code));
      assert.ok(users.length > 0, `${type.kind}: no operation documents ${type.notFound!.code}`);
    }
  });

  it('each kind is described once, and the clean-up deletes children before their parents', () => {
    const registry = new Registry(RESOURCE_GROUPS);
    const kinds = registry.resources.map((r) => r.kind);
    assert.deepEqual(kinds, [...new Set(kinds)]);
    const order = registry.deletionOrder;
    // Sandboxes hold volumes and use templates: they go first.
    assert.ok(order.indexOf('sandbox') < order.indexOf('volume') && order.indexOf('sandbox') < order.indexOf('template'));
    assert.ok(order.indexOf('schedule') < order.indexOf('function') && order.indexOf('deployment') < order.indexOf('app'));
  });

  it('a group comes after the groups it names in after, and a wrong name or a cycle is refused', () => {
    const g = (name: string, after?: string[]): ResourceGroup => ({ name, after, resources: [] });
    assert.deepEqual(dependencyOrder([g('a', ['c']), g('b'), g('c')]).map((x) => x.name), ['b', 'c', 'a']);
    assert.throws(() => dependencyOrder([g('a', ['nope'])]), /after names nope, which is no group/);
    assert.throws(() => dependencyOrder([g('a', ['b']), g('b', ['a'])]), /a, b wait for each other/);
  });

  it("--safe's codes are auth codes of the catalog whose scenarios change nothing (shared-fixtures.ts)", () => {
    for (const code of SAFE_CODES) {
      const entry = (ERROR_CATALOG as Record<string, { producedBy: string }>)[code];
      assert.ok(entry, `${code} is no code of the catalog`);
      assert.equal(entry.producedBy, 'auth', code);
      assert.ok(refusedUnchanged(code), `${code}: a --safe probe must be one that changes nothing`);
    }
  });

  it("the preflight's reads are operations of the spec that take no parameters", () => {
    for (const id of Object.values(PROBES)) {
      const read = op(id, 'preflight');
      assert.equal(read.method, 'get');
      assert.ok(!read.parameters.some((p) => p.in === 'path' || p.required), `${id} takes a required parameter`);
    }
  });

  it("the wrong-method probe (the catalog's route.method_not_allowed example) names a path of the spec without that method, and allows what the spec defines there", () => {
    const doc = loadDocument();
    const probe = methodNotAllowedProbe(doc);
    const defined = listOperations(doc).filter((o) => o.path === probe.path).map((o) => o.method.toUpperCase());
    assert.ok(defined.length, `${probe.path} is no path of the spec`);
    assert.ok(!defined.includes(probe.method), `${probe.method} ${probe.path} is an operation of the spec`);
    const example = (doc.components as { schemas: Record<string, { examples: { error: { details: { allowed: string[] } } }[] }> }).schemas.RouteMethodNotAllowedError!.examples[0]!;
    assert.deepEqual([...example.error.details.allowed].sort(), defined.sort());
    const without = { ...doc, components: { ...(doc.components as object), schemas: {} } };
    assert.throws(() => methodNotAllowedProbe(without), /has no example with details\.method and details\.path/);
  });
});
