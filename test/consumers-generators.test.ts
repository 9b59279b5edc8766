// The spec as TypeScript generators read it: @hey-api/openapi-ts, orval and openapi-zod-client
// generate from the bundle into a scratch folder, and tsc --strict compiles what they wrote
// together with a small program that switches on `error.code`. The program compiles only if
// every per-code literal survived (each case narrows `details` to that code's fields, the
// default branch is `never`, and a code that is not in the union is a compile error), and only
// if the event stream of exec/stream is typed as its events (ExecStreamEvent), not as a string.
//
// All three read the 3.1 bundle (bundled/openapi.json). How they see the event streams: hey-api
// types exec/stream's 200 as ExecStreamEvent and reads it with its SSE client; orval types the
// 200 body as one ExecStreamEvent; openapi-zod-client gives non-JSON responses z.void(), so its
// program checks the exported ExecStreamEvent schema only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { BUNDLE, packageScratch, runBin, tscStrict } from './helpers/consumers.js';

const scratch = packageScratch('consumers-generators');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/**
 * The body of the program, over three variant types A (sandbox.not_found), B
 * (template.build_failed), C (rate_limit.api) and the exec/stream 200 type S.
 */
const SWITCH = `
type AnyError = A | B | C;

export function describeError(e: AnyError): string {
  const error = e.error;
  switch (error.code) {
    case 'sandbox.not_found': {
      // Optional: ResourceDetails' members are (the published page answers "details": {}).
      const id: string | undefined = error.details.id;
      return id ?? '';
    }
    case 'template.build_failed': {
      const url: string = error.details.log_url;
      return url;
    }
    case 'rate_limit.api': {
      const wait: number = error.details.retry_after_sec;
      return String(wait);
    }
    // @ts-expect-error: no such code among these variants
    case 'sandbox.vanished':
      return '';
    default: {
      const rest: never = error;
      return rest;
    }
  }
}

export function onEvent(event: S): number | undefined {
  // @ts-expect-error: an event is an object (ExecStreamEvent), not the raw stream text
  const raw: S = 'data: {}';
  void raw;
  // The exit event carries exit_code; stdout and stderr events carry chunk.
  return event.chunk === undefined ? event.exit_code : undefined;
}
`;

interface Generator {
  name: string;
  /** Generates into dir/gen; returns the tool's output on failure. */
  generate(dir: string, bundle: string): { status: number | null; output: string };
  /** The files tsc compiles besides the program. */
  files: string[];
  /** The program's imports: A, B, C and S. */
  imports: string;
}

const GENERATORS: Generator[] = [
  {
    name: '@hey-api/openapi-ts',
    generate: (dir, bundle) => runBin('openapi-ts', ['-i', bundle, '-o', path.join(dir, 'gen')]),
    files: ['gen/index.ts'],
    imports: [
      "import type { SandboxNotFoundError as A, TemplateBuildFailedError as B, RateLimitApiError as C, ExecStreamResponses, GetSandboxErrors } from './gen/index.js';",
      'type S = ExecStreamResponses[200];',
      '// The operation-level error types carry the literals too.',
      "export const notFound: GetSandboxErrors[404]['error']['code'] = 'sandbox.not_found';",
    ].join('\n'),
  },
  {
    name: 'orval',
    generate: (dir, bundle) => runBin('orval', ['-i', bundle, '-o', path.join(dir, 'gen/api.ts'), '--client', 'fetch']),
    files: ['gen/api.ts'],
    imports: [
      "import type { SandboxNotFoundError as A, TemplateBuildFailedError as B, RateLimitApiError as C, execStreamResponse200 } from './gen/api.js';",
      "type S = execStreamResponse200['data'];",
    ].join('\n'),
  },
  {
    name: 'openapi-zod-client',
    generate: (dir, bundle) => runBin('openapi-zod-client', [bundle, '-o', path.join(dir, 'gen/client.ts'), '--export-schemas']),
    files: ['gen/client.ts'],
    imports: [
      "import type { z } from 'zod';",
      "import { schemas } from './gen/client.js';",
      'type A = z.infer<typeof schemas.SandboxNotFoundError>;',
      'type B = z.infer<typeof schemas.TemplateBuildFailedError>;',
      'type C = z.infer<typeof schemas.RateLimitApiError>;',
      'type S = z.infer<typeof schemas.ExecStreamEvent>;',
    ].join('\n'),
  },
];

function generateAndCompile(g: Generator, bundle: string, label: string) {
  const dir = path.join(scratch, `${g.name.replace(/[^a-z0-9]+/gi, '-')}-${label}`);
  // openapi-zod-client writes into an existing folder only.
  fs.mkdirSync(path.join(dir, 'gen'), { recursive: true });
  const generated = g.generate(dir, bundle);
  assert.equal(generated.status, 0, `${g.name} failed:\n${generated.output}`);
  fs.writeFileSync(path.join(dir, 'program.ts'), `${g.imports}\n${SWITCH}`);
  return tscStrict(dir, [...g.files, 'program.ts']);
}

describe('TypeScript generators: generated code compiles with tsc --strict and keeps per-code literals', () => {
  for (const g of GENERATORS) {
    it(g.name, () => {
      const compiled = generateAndCompile(g, BUNDLE, 'bundle');
      assert.equal(compiled.status, 0, `tsc --strict on ${g.name}'s output:\n${compiled.output.slice(0, 4000)}`);
    });
  }

  it('the program fails to compile when the codes are not literals (a bundle whose variants type error.code as a plain string)', () => {
    const doc = JSON.parse(fs.readFileSync(BUNDLE, 'utf8')) as { components: { schemas: Record<string, { allOf?: { properties?: { error?: { properties?: { code?: Record<string, unknown> } } } }[] }> } };
    let loosened = 0;
    for (const schema of Object.values(doc.components.schemas)) {
      const code = schema.allOf?.[1]?.properties?.error?.properties?.code;
      if (code && 'const' in code) {
        delete code.const;
        delete code.enum;
        loosened++;
      }
    }
    assert.ok(loosened >= 41, String(loosened));
    const broken = path.join(scratch, 'loose-codes.json');
    fs.writeFileSync(broken, JSON.stringify(doc));
    const compiled = generateAndCompile(GENERATORS[0]!, broken, 'loose');
    assert.notEqual(compiled.status, 0, 'the narrowing program compiled against codes typed as string');
    assert.match(compiled.output, /program\.ts\(\d+,\d+\): error TS/);
  });

  it('the program fails to compile when the stream is typed as text (schema: {type: string})', () => {
    const doc = JSON.parse(fs.readFileSync(BUNDLE, 'utf8')) as { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: unknown }> }> }>> };
    doc.paths['/v1/sandboxes/{id}/exec/stream']!.post!.responses['200']!.content['text/event-stream']!.schema = { type: 'string' };
    const broken = path.join(scratch, 'text-stream.json');
    fs.writeFileSync(broken, JSON.stringify(doc));
    const compiled = generateAndCompile(GENERATORS[0]!, broken, 'text-stream');
    assert.notEqual(compiled.status, 0, 'the program compiled against a stream typed as string');
    assert.match(compiled.output, /program\.ts/);
  });
});
