// The models for other languages, compiled and run: Python 3, Go (Debian's golang-go), Rust
// (Debian's rustc and cargo, offline, with Debian's serde crates) and Java (javac with Debian's
// Jackson 2). For each, a small program (test/languages/) reads bodies with the generated model
// and prints what it read; the assertions are here, the same for every language:
// - every error example of the bundle parses, with its code known, its catalog status,
//   retryability and details type, and round-trips (envelope and typed details) unchanged;
// - an envelope whose code the model has never seen still reads: code, message, request_id and
//   details kept, retrying decided by details.retryable, no typed details;
// - bodies that are not the envelope are rejected, and typed details that break their code's
//   schema are reported;
// - a local server answers a code the model has never seen, and the model still gives the code,
//   the request_id and the retryability.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LANGUAGES_DIR } from '../scripts/lib/languages/render.js';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { ERROR_CATALOG, ERROR_CODES, type ErrorCode } from '../src/generated/error-catalog.js';
import { loadDocument, type JsonObject } from '../src/spec/document.js';
import { packageScratch, runCommand, type ToolRun } from './helpers/consumers.js';

const doc = loadDocument();
const LANG = path.join(PACKAGE_ROOT, LANGUAGES_DIR);
const PROGRAMS = path.join(PACKAGE_ROOT, 'test/languages');
const scratch = packageScratch('languages');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Case {
  where: string;
  body: unknown;
}

interface Reading {
  where: string;
  ok: boolean;
  error?: string;
  code?: string;
  known?: boolean;
  message?: string;
  request_id?: string;
  retryable?: boolean;
  retry_after_sec?: number | null;
  status?: number | null;
  details_type?: string | null;
  envelope?: unknown;
  typed_details?: unknown;
  typed_type?: string | null;
  typed_error?: string | null;
  http_status?: number;
}

/** Every error envelope that appears as an example anywhere in the bundle, with where it is. */
function errorExamples(): { where: string; body: { error: { code: string; message: string; request_id: string; details: JsonObject } } }[] {
  const found: { where: string; body: { error: { code: string; message: string; request_id: string; details: JsonObject } } }[] = [];
  const walk = (node: unknown, at: string, inExample: boolean) => {
    if (Array.isArray(node)) return node.forEach((x, i) => walk(x, `${at}/${i}`, inExample));
    if (!node || typeof node !== 'object') return;
    const error = (node as JsonObject).error as JsonObject | undefined;
    if (inExample && error && typeof error === 'object' && typeof error.code === 'string' && 'request_id' in error) {
      found.push({ where: at, body: node as (typeof found)[number]['body'] });
      return;
    }
    for (const [k, v] of Object.entries(node as JsonObject)) walk(v, `${at}/${k}`, inExample || k === 'examples' || k === 'example' || k === 'value');
  };
  walk(doc, '#', false);
  return found;
}

const examples = errorExamples();

/** A code no version of the catalog has, with details a newer server might send. */
const UNKNOWN_RETRYABLE = {
  error: {
    code: 'capacity.region_draining',
    message: 'The region is being drained; retry in a few seconds.',
    request_id: 'req_Zq8mJ2xV7bN4cK1pL5sT9wYh',
    details: { retryable: true, retry_after_sec: 7, region: 'eu-2', drain: { until: '2026-06-01T15:31:00Z' } },
  },
};
const UNKNOWN_CASES: Case[] = [
  { where: 'unknown code, retryable', body: UNKNOWN_RETRYABLE },
  { where: 'unknown code, no retryable', body: { error: { code: 'sandbox.melted', message: 'A newer failure.', request_id: 'req_0123456789abcdefghijABCD', details: { sandbox_id: 'x' } } } },
  { where: 'unknown code, retryable as text', body: { error: { code: 'brand.new_code', message: 'retryable is not a boolean', request_id: 'req_0123456789abcdefghijABCE', details: { retryable: 'true' } } } },
];

function example(code: ErrorCode) {
  return structuredClone((((doc.components as { schemas: Record<string, JsonObject> }).schemas[ERROR_CATALOG[code].schema]!.examples as JsonObject[])[0]!)) as { error: JsonObject & { details: JsonObject } };
}

/** Bodies that are not the envelope: each must be rejected. */
function notEnvelopes(): Case[] {
  const noRequestId = example('internal.error');
  delete noRequestId.error.request_id;
  const numericCode = example('sandbox.not_found');
  numericCode.error.code = 404;
  const detailsList = example('sandbox.not_found');
  (detailsList.error as JsonObject).details = [];
  const emptyMessage = example('sandbox.not_found');
  emptyMessage.error.message = '';
  return [
    { where: 'no request_id', body: noRequestId },
    { where: 'numeric code', body: numericCode },
    { where: 'details is a list', body: detailsList },
    { where: 'empty message', body: emptyMessage },
    { where: 'no error member', body: { message: 'Bad Gateway' } },
    { where: 'a JSON array', body: [1, 2] },
  ];
}

/** Envelopes of known codes whose details break the code's schema: typed details must fail. */
function brokenDetails(): Case[] {
  const limitAsText = example('quota.vcpu_exceeded');
  limitAsText.error.details.limit = '8';
  const missingLogUrl = example('template.build_failed');
  delete missingLogUrl.error.details.log_url;
  return [
    { where: 'quota limit as text', body: limitAsText },
    { where: 'build failure without log_url', body: missingLogUrl },
  ];
}

interface Language {
  name: string;
  /** Compiles the model and the program; returns the command that runs the program. */
  build(dir: string): string[];
}

/** Runs the program without blocking this process, which serves the program's request. */
function runAsync(command: string[]): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

const JACKSON = ['jackson-core', 'jackson-databind', 'jackson-annotations'].map((n) => `/usr/share/java/${n}.jar`);

function listFiles(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((d) => d.isFile() && d.name.endsWith(ext)).map((d) => path.join(d.parentPath, d.name));
}

function mustSucceed(run: ToolRun, what: string): void {
  assert.equal(run.status, 0, `${what} failed:\n${run.output.slice(0, 6000)}`);
}

const LANGUAGES: Language[] = [
  {
    name: 'Python',
    build: () => {
      // Under -O: the model's checks must not be asserts.
      return ['python3', '-O', path.join(PROGRAMS, 'check.py'), path.join(LANG, 'python')];
    },
  },
  {
    name: 'Go',
    build: (dir) => {
      fs.mkdirSync(path.join(dir, 'pandastack'), { recursive: true });
      for (const f of listFiles(path.join(LANG, 'go'), '.go').filter((f) => !f.endsWith('_test.go'))) fs.copyFileSync(f, path.join(dir, 'pandastack', path.basename(f)));
      fs.copyFileSync(path.join(PROGRAMS, 'main.go'), path.join(dir, 'main.go'));
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module pandastack.test/models\n\ngo 1.19\n');
      const env = { GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local', GOWORK: 'off', CGO_ENABLED: '0' };
      mustSucceed(runCommand('go', ['vet', './...'], { cwd: dir, env }), 'go vet');
      mustSucceed(runCommand('go', ['build', '-o', 'models-check', '.'], { cwd: dir, env }), 'go build');
      return [path.join(dir, 'models-check')];
    },
  },
  {
    name: 'Rust',
    build: (dir) => {
      fs.mkdirSync(path.join(dir, '.cargo'), { recursive: true });
      fs.writeFileSync(path.join(dir, '.cargo/config.toml'), [
        '# Debian\'s crates (librust-*-dev), never the network.',
        '[source.crates-io]',
        'replace-with = "debian"',
        '[source.debian]',
        'directory = "/usr/share/cargo/registry"',
        '[net]',
        'offline = true',
        '',
      ].join('\n'));
      fs.writeFileSync(path.join(dir, 'Cargo.toml'), [
        '[package]',
        'name = "models-check"',
        'version = "0.0.0"',
        'edition = "2021"',
        '',
        '[lib]',
        'name = "pandastack_errors"',
        `path = ${JSON.stringify(path.join(LANG, 'rust/src/lib.rs'))}`,
        '',
        '[[bin]]',
        'name = "models-check"',
        `path = ${JSON.stringify(path.join(PROGRAMS, 'main.rs'))}`,
        '',
        '[dependencies]',
        'serde = { version = "1", features = ["derive"] }',
        'serde_json = "1"',
        '',
      ].join('\n'));
      // Debian's toolchain, whatever else is on PATH; a private CARGO_HOME so no user config applies.
      const env = { CARGO_HOME: path.join(dir, 'cargo-home'), RUSTC: '/usr/bin/rustc', RUSTDOC: '/usr/bin/rustdoc', PATH: `/usr/bin:/bin:${process.env.PATH ?? ''}`, RUSTFLAGS: '-D warnings', CARGO_TERM_COLOR: 'never' };
      mustSucceed(runCommand('/usr/bin/cargo', ['build', '--offline', '--quiet', '--jobs', '2'], { cwd: dir, env }), 'cargo build');
      return [path.join(dir, 'target/debug/models-check')];
    },
  },
  {
    name: 'Java',
    build: (dir) => {
      const classes = path.join(dir, 'classes');
      const classpath = JACKSON.join(path.delimiter);
      mustSucceed(runCommand('javac', ['-Xlint:all', '-Werror', '-d', classes, '-cp', classpath, ...listFiles(path.join(LANG, 'java/src/main/java'), '.java'), path.join(PROGRAMS, 'ModelsCheck.java')]), 'javac');
      return ['java', '-cp', [classes, ...JACKSON].join(path.delimiter), 'ModelsCheck'];
    },
  },
];

let serverUrl = '';
let server: http.Server | undefined;
before(async () => {
  // A server that answers every request with a code no model knows (503, retryable).
  server = http.createServer((_req, res) => {
    const body = JSON.stringify(UNKNOWN_RETRYABLE);
    res.writeHead(503, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'retry-after': '7', 'x-request-id': UNKNOWN_RETRYABLE.error.request_id, connection: 'close' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/sandboxes`;
});
after(() => server?.close());

function readAll(command: string[], cases: Case[]): Reading[] {
  const result = runCommand(command[0]!, command.slice(1), { input: JSON.stringify(cases) });
  mustSucceed(result, 'the program');
  const readings = result.output.trim().split('\n').map((l) => JSON.parse(l) as Reading);
  assert.deepEqual(readings.map((r) => r.where), cases.map((c) => c.where));
  return readings;
}

for (const lang of LANGUAGES) {
  describe(`${lang.name} model`, () => {
    let run: string[];
    before(() => {
      const dir = path.join(scratch, lang.name.toLowerCase());
      fs.mkdirSync(dir, { recursive: true });
      run = lang.build(dir);
    });

    it(`reads and round-trips every error example of the spec (${examples.length}), each code known with its catalog entry`, () => {
      assert.deepEqual([...new Set(examples.map((e) => e.body.error.code))].sort(), [...ERROR_CODES].sort());
      const readings = readAll(run, examples);
      for (const [i, r] of readings.entries()) {
        const body = examples[i]!.body;
        const entry = ERROR_CATALOG[body.error.code as ErrorCode];
        const where = `${lang.name} ${r.where}`;
        assert.equal(r.ok, true, `${where}: ${r.error}`);
        assert.deepEqual(
          { code: r.code, known: r.known, message: r.message, request_id: r.request_id, retryable: r.retryable, status: r.status, details_type: r.details_type, typed_error: r.typed_error },
          { code: body.error.code, known: true, message: body.error.message, request_id: body.error.request_id, retryable: entry.retryable, status: entry.status, details_type: entry.details, typed_error: null },
          where,
        );
        assert.deepEqual(r.envelope, body, `${where}: the envelope changed`);
        assert.deepEqual(r.typed_details, body.error.details, `${where}: the typed details changed`);
        assert.match(String(r.typed_type), new RegExp(`(^|\\.)${entry.details}$`), where);
        if (entry.retryable) assert.equal(r.retry_after_sec, body.error.details.retry_after_sec, where);
      }
    });

    it('reads an envelope whose code it has never seen: code, message, request_id, details kept; retrying by details.retryable', () => {
      const readings = readAll(run, UNKNOWN_CASES);
      for (const [i, r] of readings.entries()) {
        const body = UNKNOWN_CASES[i]!.body as typeof UNKNOWN_RETRYABLE;
        assert.equal(r.ok, true, `${r.where}: ${r.error}`);
        assert.deepEqual(
          { code: r.code, known: r.known, message: r.message, request_id: r.request_id, status: r.status, details_type: r.details_type, typed_details: r.typed_details },
          { code: body.error.code, known: false, message: body.error.message, request_id: body.error.request_id, status: null, details_type: null, typed_details: null },
          r.where,
        );
        assert.deepEqual(r.envelope, body, r.where);
      }
      assert.deepEqual(readings.map((r) => [r.retryable, r.retry_after_sec]), [[true, 7], [false, null], [false, null]]);
    });

    it('rejects bodies that are not the envelope, and reports details that break their code\'s schema', () => {
      const rejected = readAll(run, notEnvelopes());
      for (const r of rejected) assert.equal(r.ok, false, `${lang.name} accepted: ${r.where}`);
      for (const r of rejected) assert.ok(r.error && r.error.length > 0, r.where);
      const broken = readAll(run, brokenDetails());
      for (const r of broken) {
        assert.equal(r.ok, true, r.where);
        assert.equal(r.typed_details, null, r.where);
        assert.ok(r.typed_error, `${lang.name} read broken details without complaint: ${r.where}`);
      }
    });

    it('the server answers a code the model has never seen: the model gives the code, request_id and retryability', async () => {
      const result = await runAsync([...run, 'fetch', serverUrl]);
      mustSucceed(result, 'fetch');
      const r = JSON.parse(result.output.trim()) as Reading;
      assert.deepEqual(
        { ok: r.ok, http_status: r.http_status, code: r.code, known: r.known, request_id: r.request_id, retryable: r.retryable, retry_after_sec: r.retry_after_sec },
        { ok: true, http_status: 503, code: 'capacity.region_draining', known: false, request_id: UNKNOWN_RETRYABLE.error.request_id, retryable: true, retry_after_sec: 7 },
      );
      assert.ok(!(ERROR_CODES as readonly string[]).includes(r.code!));
    });
  });
}
