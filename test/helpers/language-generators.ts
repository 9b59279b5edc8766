// The generator matrix: each ecosystem's own client generator, pinned, run on the bundled spec,
// its output compiled by the language's toolchain and a hand-written driver
// (test/languages/roundtrip/<id>/) run against the mock. Tools and generated clients are cached
// outside the clone, under ~/.cache/pandastack-contract/ (PANDASTACK_CACHE moves it), keyed by
// the input bundle's hash, the tool's version and its options, so an unchanged spec regenerates
// and recompiles nothing. Each tool comes from its own registry through its own client: the
// openapi-generator jar from Maven Central (mvn), oapi-codegen from the Go module proxy
// (go install), openapi-python-client from PyPI (.venv, scripts/python-requirements.txt), the
// clients' libraries from Maven Central, the Go module proxy and crates.io.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../scripts/lib/package-root.js';
import { runCommand as runTool, type ToolRun } from './consumers.js';

export const CACHE = process.env.PANDASTACK_CACHE ?? path.join(os.homedir(), '.cache/pandastack-contract');
export const OPENAPI_GENERATOR_VERSION = '7.25.0';
export const OAPI_CODEGEN_VERSION = 'v2.8.2';
export const OAPI_RUNTIME_VERSION = 'v1.9.0';
const DRIVERS = path.join(PACKAGE_ROOT, 'test/languages/roundtrip');
const LANGUAGES = path.join(PACKAGE_ROOT, 'languages');
const VENV_BIN = path.join(PACKAGE_ROOT, '.venv/bin');
const CARGO_TARGET = path.join(CACHE, 'cargo-target');

export type Language = 'Python' | 'Go' | 'Java' | 'Rust';

export interface Generator {
  /** The folder of its driver under test/languages/roundtrip/. */
  id: string;
  tool: string;
  language: Language;
  /** The bundle it reads: the 3.1 one unless the generator reads only 3.0. */
  input: 'bundled/openapi.json' | 'bundled/openapi.3.0.json';
  /**
   * Why the round trip cannot pass today, when it cannot: the test still runs it and reports it
   * as a todo, so a fix shows at once, but it does not fail the suite.
   */
  knownGap?: string;
  /** Options that change its output (part of the cache key). */
  options: string[];
  /** Writes the client into out (an empty folder). */
  generate(input: string, out: string): ToolRun;
  /** Compiles the client and the driver under the strict settings; returns the driver's command. */
  build(client: string, work: string): { command: string[]; strict: string };
}

export class StepFailed extends Error {}

/** A cold build (a registry download, a large generated crate) takes minutes; a hung one, more. */
const STEP_TIMEOUT_MS = 15 * 60_000;

/** A toolchain step, with the longer bound. */
export function runCommand(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ToolRun {
  return runTool(command, args, { ...options, timeoutMs: STEP_TIMEOUT_MS });
}

/** The toolchains the matrix needs, each with what to do when it is missing. */
const TOOLCHAINS: [string, string[], string][] = [
  ['java', ['-version'], 'a JDK 17 or newer (java, javac)'],
  ['mvn', ['-v'], 'Maven 3.8 or newer (mvn), which fetches openapi-generator and the Java libraries'],
  ['go', ['version'], 'Go 1.23 or newer (go), which fetches oapi-codegen and the Go modules'],
  ['cargo', ['--version'], 'Rust 1.80 or newer through rustup (cargo), which fetches the crates'],
  [path.join(PACKAGE_ROOT, '.venv/bin/python'), ['--version'], 'the Python tools: run `bash scripts/setup-python.sh` (npm test runs it)'],
];

/** One line per missing toolchain, saying what to install; empty when all are there. */
export function missingToolchains(): string[] {
  return TOOLCHAINS.filter(([command, args]) => runTool(command, args, { timeoutMs: 60_000 }).status !== 0).map(([command, , need]) => `${path.basename(command)} is missing: install ${need}.`);
}

/** Fails with the tool's own output when a step did not succeed. */
export function must(run: ToolRun, what: string): ToolRun {
  if (run.status !== 0) throw new StepFailed(`${what} failed (exit ${run.status}):\n${run.output.slice(-6000)}`);
  return run;
}

function openapiGeneratorJar(): string {
  const jar = path.join(CACHE, 'tools', `openapi-generator-cli-${OPENAPI_GENERATOR_VERSION}.jar`);
  if (!fs.existsSync(jar)) {
    const artifact = `-Dartifact=org.openapitools:openapi-generator-cli:${OPENAPI_GENERATOR_VERSION}`;
    must(runCommand('mvn', ['-B', '-q', 'dependency:copy', artifact, `-DoutputDirectory=${path.dirname(jar)}`], { cwd: os.tmpdir() }), 'fetching openapi-generator from Maven Central');
  }
  return jar;
}

function oapiCodegen(): string {
  const bin = path.join(CACHE, 'tools', `oapi-codegen-${OAPI_CODEGEN_VERSION}`);
  if (!fs.existsSync(path.join(bin, 'oapi-codegen'))) {
    must(runCommand('go', ['install', `github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@${OAPI_CODEGEN_VERSION}`], { cwd: os.tmpdir(), env: { GOBIN: bin, GOFLAGS: '-mod=mod' } }), 'installing oapi-codegen');
  }
  return path.join(bin, 'oapi-codegen');
}

function openapiGenerator(lang: string, input: string, out: string, options: string[]): ToolRun {
  // The jar's "donate" banner and per-schema INFO lines are noise; failures keep their text.
  return runCommand('java', ['-jar', openapiGeneratorJar(), 'generate', '-i', input, '-g', lang, '-o', out, '--skip-validate-spec', ...options]);
}

/** The cached client of a generator for the current bundle: generated once per key. */
export function cachedClient(g: Generator): { dir: string; fresh: boolean } {
  const input = path.join(PACKAGE_ROOT, g.input);
  const key = crypto.createHash('sha256').update(fs.readFileSync(input)).update(JSON.stringify([g.tool, g.options])).digest('hex').slice(0, 16);
  const dir = path.join(CACHE, 'clients', `${g.id}-${key}`);
  if (fs.existsSync(path.join(dir, '.generated'))) return { dir, fresh: false };
  // Clients of older bundles or options are never read again.
  const parent = path.dirname(dir);
  if (fs.existsSync(parent)) for (const old of fs.readdirSync(parent)) if (old.startsWith(`${g.id}-`) && /^[0-9a-f]{16}$/.test(old.slice(g.id.length + 1))) fs.rmSync(path.join(parent, old), { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  must(g.generate(input, dir), `${g.tool} (${g.language})`);
  fs.writeFileSync(path.join(dir, '.generated'), `${g.tool} ${g.options.join(' ')}\n`);
  return { dir, fresh: true };
}

function goModule(work: string, requires: Record<string, string>, replaces: Record<string, string>): void {
  const lines = ['module roundtrip', '', 'go 1.23', ''];
  for (const [mod, version] of Object.entries(requires)) lines.push(`require ${mod} ${version}`);
  for (const [mod, dir] of Object.entries(replaces)) lines.push(`replace ${mod} => ${dir}`);
  fs.writeFileSync(path.join(work, 'go.mod'), lines.join('\n') + '\n');
}

const GO_PACKAGE = 'github.com/pandastack-io/pandastack-contract/languages/go';
const GO_ENV = { GOFLAGS: '-mod=mod', GOWORK: 'off', CGO_ENABLED: '0' };

function goBuild(work: string, vet: string[]): string[] {
  must(runCommand('go', ['vet', ...vet], { cwd: work, env: GO_ENV }), 'go vet');
  must(runCommand('go', ['build', '-o', 'roundtrip', '.'], { cwd: work, env: GO_ENV }), 'go build');
  return [path.join(work, 'roundtrip')];
}

function pythonPath(...dirs: string[]): NodeJS.ProcessEnv {
  return { PYTHONPATH: [...dirs, path.join(LANGUAGES, 'python')].join(path.delimiter) };
}

/** mypy reads the same folders from MYPYPATH (on PYTHONPATH it takes them for untyped installs). */
function mypyPath(...dirs: string[]): NodeJS.ProcessEnv {
  return { MYPYPATH: pythonPath(...dirs).PYTHONPATH };
}

function mavenPackage(dir: string, extra: string[] = []): void {
  // No javadoc or sources jars: only the classes are needed.
  must(runCommand('mvn', ['-B', '-q', '-DskipTests', '-Dmaven.javadoc.skip=true', '-Dmaven.source.skip=true', 'package', ...extra], { cwd: dir }), `mvn package in ${dir}`);
}

function jars(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.jar')).map((f) => path.join(dir, f)) : [];
}

const OAG_JAVA_OPTIONS = [
  '--library', 'apache-httpclient',
  '--global-property', 'skipFormModel=false',
  '--additional-properties=groupId=ai.pandastack,artifactId=pandastack-client,artifactVersion=0.1.0,invokerPackage=ai.pandastack.client,apiPackage=ai.pandastack.client.api,modelPackage=ai.pandastack.client.model',
];

function buildJava(client: string, work: string): { command: string[]; strict: string } {
  const clientJar = path.join(client, 'target/pandastack-client-0.1.0.jar');
  const built = path.join(client, 'target/.built');
  if (!fs.existsSync(built)) {
    mavenPackage(client, ['dependency:copy-dependencies', '-DincludeScope=runtime', '-DoutputDirectory=target/deps']);
    fs.writeFileSync(built, '');
  }
  mavenPackage(path.join(LANGUAGES, 'java'));
  const classpath = [clientJar, path.join(LANGUAGES, 'java/target/pandastack-errors-0.1.0.jar'), ...jars(path.join(client, 'target/deps'))].join(path.delimiter);
  const classes = path.join(work, 'classes');
  must(runCommand('javac', ['-Xlint:all', '-Werror', '-d', classes, '-cp', classpath, path.join(DRIVERS, 'openapi-generator-java/RoundTrip.java')]), 'javac');
  return { command: ['java', '-cp', [classes, classpath].join(path.delimiter), 'RoundTrip'], strict: 'driver and languages/java: javac -Xlint:all -Werror; client: its own pom' };
}

function buildRust(client: string, work: string): { command: string[]; strict: string } {
  fs.mkdirSync(path.join(work, 'src'), { recursive: true });
  fs.copyFileSync(path.join(DRIVERS, 'openapi-generator-rust/main.rs'), path.join(work, 'src/main.rs'));
  fs.writeFileSync(path.join(work, 'Cargo.toml'), [
    '[package]', 'name = "roundtrip"', 'version = "0.0.0"', 'edition = "2021"', '',
    '[dependencies]',
    // Plain HTTP to the mock: no TLS stack to build.
    `pandastack_client = { path = ${JSON.stringify(client)}, default-features = false }`,
    `pandastack-errors = { path = ${JSON.stringify(path.join(LANGUAGES, 'rust'))} }`,
    'serde_json = "=1.0.145"',
    // The client's own reqwest, for a default header (see the driver).
    'reqwest = { version = "0.13", default-features = false, features = ["blocking"] }', '',
  ].join('\n'));
  const env = { CARGO_TARGET_DIR: CARGO_TARGET, RUSTFLAGS: '-D warnings', CARGO_TERM_COLOR: 'never' };
  must(runCommand('cargo', ['build', '--quiet', '--jobs', '2'], { cwd: work, env }), 'cargo build');
  return { command: [path.join(CARGO_TARGET, 'debug/roundtrip')], strict: 'cargo build with RUSTFLAGS=-D warnings (client, languages/rust, driver)' };
}

export const GENERATORS: Generator[] = [
  {
    id: 'openapi-generator-python',
    tool: `openapi-generator ${OPENAPI_GENERATOR_VERSION}`,
    language: 'Python',
    input: 'bundled/openapi.json',
    options: ['--additional-properties=packageName=pandastack_client,packageVersion=0.1.0'],
    generate(input, out) {
      return openapiGenerator('python', input, out, this.options);
    },
    build(client, work) {
      // Byte code goes to the scratch folder, not beside the sources.
      must(runCommand(path.join(VENV_BIN, 'python'), ['-m', 'compileall', '-q', path.join(client, 'pandastack_client'), path.join(DRIVERS, this.id)], { env: { PYTHONPYCACHEPREFIX: path.join(work, 'pycache') } }), 'compileall');
      const driver = path.join(DRIVERS, this.id, 'roundtrip.py');
      must(runCommand(path.join(VENV_BIN, 'mypy'), ['--no-incremental', '--follow-imports=silent', '--strict', driver], { env: mypyPath(client) }), 'mypy --strict (driver)');
      return { command: ['env', `PYTHONPATH=${pythonPath(client).PYTHONPATH}`, 'PYTHONDONTWRITEBYTECODE=1', path.join(VENV_BIN, 'python'), driver], strict: 'compileall (client); mypy --strict (driver against the client)' };
    },
  },
  {
    id: 'openapi-python-client',
    tool: 'openapi-python-client 0.29.1',
    language: 'Python',
    input: 'bundled/openapi.json',
    options: ['--meta', 'none'],
    generate(input, out) {
      const config = path.join(out, '..', `${path.basename(out)}.config.yaml`);
      // No post hooks: ruff is not one of the project's tools, and formatting changes nothing.
      fs.writeFileSync(config, 'post_hooks: []\n');
      const run = runCommand(path.join(VENV_BIN, 'openapi-python-client'), ['generate', '--path', input, '--output-path', path.join(out, 'pandastack_api'), '--config', config, ...this.options]);
      fs.rmSync(config, { force: true });
      return run;
    },
    build(client) {
      const driver = path.join(DRIVERS, this.id, 'roundtrip.py');
      must(runCommand(path.join(VENV_BIN, 'mypy'), ['--no-incremental', '--follow-imports=silent', '--strict', driver], { env: mypyPath(client) }), 'mypy --strict (driver)');
      return { command: ['env', `PYTHONPATH=${pythonPath(client).PYTHONPATH}`, 'PYTHONDONTWRITEBYTECODE=1', path.join(VENV_BIN, 'python'), driver], strict: 'mypy --strict (driver against the client\'s types)' };
    },
  },
  {
    id: 'openapi-generator-go',
    tool: `openapi-generator ${OPENAPI_GENERATOR_VERSION}`,
    language: 'Go',
    input: 'bundled/openapi.json',
    // Enum constants share names across types (RUNNING in five enums) unless prefixed.
    options: ['--git-user-id', 'pandastack-io', '--git-repo-id', 'pandastack-client-go', '--additional-properties=packageName=pandastack_client,enumClassPrefix=true'],
    generate(input, out) {
      return openapiGenerator('go', input, out, this.options);
    },
    build(client, work) {
      fs.copyFileSync(path.join(DRIVERS, this.id, 'main.go'), path.join(work, 'main.go'));
      goModule(work, { 'github.com/pandastack-io/pandastack-client-go': 'v0.0.0', [GO_PACKAGE]: 'v0.0.0' }, { 'github.com/pandastack-io/pandastack-client-go': client, [GO_PACKAGE]: path.join(LANGUAGES, 'go') });
      return { command: goBuild(work, ['.', 'github.com/pandastack-io/pandastack-client-go', GO_PACKAGE]), strict: 'go vet (client, languages/go, driver)' };
    },
  },
  {
    id: 'oapi-codegen',
    tool: `oapi-codegen ${OAPI_CODEGEN_VERSION}`,
    language: 'Go',
    // oapi-codegen v2 reads OpenAPI 3.0 only (kin-openapi): 3.1's type arrays stop it.
    input: 'bundled/openapi.3.0.json',
    options: ['-generate', 'types,client', '-package', 'client'],
    generate(input, out) {
      return runCommand(oapiCodegen(), [...this.options, '-o', path.join(out, 'client.go'), input]);
    },
    build(client, work) {
      fs.mkdirSync(path.join(work, 'client'), { recursive: true });
      fs.copyFileSync(path.join(client, 'client.go'), path.join(work, 'client/client.go'));
      fs.copyFileSync(path.join(DRIVERS, this.id, 'main.go'), path.join(work, 'main.go'));
      goModule(work, { 'github.com/oapi-codegen/runtime': OAPI_RUNTIME_VERSION, [GO_PACKAGE]: 'v0.0.0' }, { [GO_PACKAGE]: path.join(LANGUAGES, 'go') });
      return { command: goBuild(work, ['./...', GO_PACKAGE]), strict: 'go vet (client, languages/go, driver)' };
    },
  },
  {
    id: 'openapi-generator-java',
    tool: `openapi-generator ${OPENAPI_GENERATOR_VERSION}`,
    language: 'Java',
    input: 'bundled/openapi.json',
    options: OAG_JAVA_OPTIONS,
    generate(input, out) {
      return openapiGenerator('java', input, out, this.options);
    },
    build: buildJava,
  },
  {
    id: 'openapi-generator-rust',
    tool: `openapi-generator ${OPENAPI_GENERATOR_VERSION}`,
    language: 'Rust',
    input: 'bundled/openapi.json',
    // Blocking reqwest (no async runtime in the driver); raw binary bodies as bytes, because
    // reqwest has no body from the default PathBuf.
    options: ['--type-mappings=binary=Vec<u8>,file=Vec<u8>', '--additional-properties=packageName=pandastack_client,packageVersion=0.1.0,supportAsync=false'],
    generate(input, out) {
      return openapiGenerator('rust', input, out, this.options);
    },
    build: buildRust,
  },
];
