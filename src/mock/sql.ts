// The mock's stand-in for PostgreSQL behind the query broker: a small, deterministic interpreter
// over tables kept in memory. It understands
//   SELECT <literal or $n> [AS name], ...            (no FROM)
//   SELECT version()
//   CREATE TABLE [IF NOT EXISTS] t (col type, ...)
//   DROP TABLE [IF EXISTS] t
//   INSERT INTO t [(col, ...)] VALUES (v, ...)[, (...)]
//   SELECT * | col, ... FROM t [WHERE col = v] [ORDER BY col [ASC|DESC]] [LIMIT n]
//   DELETE FROM t [WHERE col = v]
// with literals (integers, decimals, 'strings', TRUE, FALSE, NULL) and $1, $2, ... parameters.
// Anything else fails as PostgreSQL would report a statement it cannot run: an SQLSTATE
// (42601 syntax error, 42P01 no such table, ...), a message, and a hint naming what is supported.

export type SqlValue = string | number | boolean | null;

export interface SqlColumn {
  name: string;
  /** PostgreSQL's type name as the Go driver reports it (INT4, TEXT, BOOL, NUMERIC, ...). */
  type: string;
}

export interface Table {
  columns: SqlColumn[];
  rows: SqlValue[][];
}

export type Tables = Map<string, Table>;

export interface SqlResult {
  columns: SqlColumn[];
  rows: SqlValue[][];
  /** Rows the statement changed (INSERT, DELETE) or returned (SELECT). */
  affected: number;
}

export class SqlError extends Error {
  constructor(
    readonly sqlstate: string,
    message: string,
    readonly hint?: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export const SUPPORTED =
  'the mock understands SELECT of literals, SELECT version(), CREATE TABLE, DROP TABLE, INSERT INTO ... VALUES, SELECT ... FROM t [WHERE c = v] [ORDER BY c] [LIMIT n] and DELETE FROM t [WHERE c = v]';

export const MOCK_VERSION = 'PostgreSQL 16.4 (PandaStack mock) on x86_64-pc-linux-gnu, 64-bit';

const TYPES: Record<string, string> = {
  int: 'INT4', integer: 'INT4', int4: 'INT4', serial: 'INT4', smallint: 'INT2', int2: 'INT2',
  bigint: 'INT8', int8: 'INT8', bigserial: 'INT8',
  text: 'TEXT', varchar: 'VARCHAR', char: 'BPCHAR', uuid: 'UUID',
  bool: 'BOOL', boolean: 'BOOL',
  numeric: 'NUMERIC', decimal: 'NUMERIC', real: 'FLOAT4', float4: 'FLOAT4', float8: 'FLOAT8', double: 'FLOAT8',
  timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ', date: 'DATE', jsonb: 'JSONB', json: 'JSON',
};

type Token = { kind: 'word' | 'number' | 'string' | 'param' | 'symbol'; text: string };

function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '-' && sql[i + 1] === '-') while (i < sql.length && sql[i] !== '\n') i++;
    else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))!;
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else if (c === '"') {
      const end = sql.indexOf('"', i + 1);
      if (end < 0) throw new SqlError('42601', 'unterminated quoted identifier at or near "\\""');
      out.push({ kind: 'word', text: sql.slice(i + 1, end) });
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(sql[i + 1] ?? '') && !['number', 'string', 'param'].includes(out.at(-1)?.kind ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(sql.slice(i))!;
      out.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else if (c === "'") {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new SqlError('42601', 'unterminated quoted string at or near "\'"');
        if (sql[j] === "'" && sql[j + 1] === "'") (text += "'"), (j += 2);
        else if (sql[j] === "'") break;
        else text += sql[j++];
      }
      out.push({ kind: 'string', text });
      i = j + 1;
    } else if (c === '$' && /[0-9]/.test(sql[i + 1] ?? '')) {
      const m = /^\$([0-9]+)/.exec(sql.slice(i))!;
      out.push({ kind: 'param', text: m[1]! });
      i += m[0].length;
    } else if ('(),*=;'.includes(c)) {
      out.push({ kind: 'symbol', text: c });
      i++;
    } else throw new SqlError('42601', `syntax error at or near "${c}"`, `${SUPPORTED}.`);
  }
  while (out.at(-1)?.text === ';') out.pop();
  if (out.some((t) => t.kind === 'symbol' && t.text === ';')) throw new SqlError('42601', 'cannot insert multiple commands into a prepared statement');
  return out;
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly params: SqlValue[],
  ) {}

  peek(): Token | undefined {
    return this.tokens[this.i];
  }
  done(): boolean {
    return this.i >= this.tokens.length;
  }
  syntax(): SqlError {
    const t = this.peek();
    return new SqlError('42601', t ? `syntax error at or near "${t.text}"` : 'syntax error at end of input', `${SUPPORTED}.`);
  }
  /** Consumes the keyword if it is next. */
  word(w: string): boolean {
    const t = this.peek();
    if (t?.kind === 'word' && t.text.toLowerCase() === w) return Boolean(++this.i);
    return false;
  }
  expectWord(w: string): void {
    if (!this.word(w)) throw this.syntax();
  }
  symbol(s: string): boolean {
    const t = this.peek();
    if (t?.kind === 'symbol' && t.text === s) return Boolean(++this.i);
    return false;
  }
  expectSymbol(s: string): void {
    if (!this.symbol(s)) throw this.syntax();
  }
  ident(): string {
    const t = this.peek();
    if (t?.kind !== 'word') throw this.syntax();
    this.i++;
    return t.text.toLowerCase();
  }
  end(): void {
    if (!this.done()) throw this.syntax();
  }
  /** A literal or parameter, with the type PostgreSQL would give it. */
  value(): { value: SqlValue; type: string } {
    const t = this.peek();
    if (!t) throw this.syntax();
    this.i++;
    if (t.kind === 'number') return t.text.includes('.') ? { value: t.text, type: 'NUMERIC' } : { value: Number(t.text), type: Number.isSafeInteger(Number(t.text)) && Math.abs(Number(t.text)) < 2 ** 31 ? 'INT4' : 'INT8' };
    if (t.kind === 'string') return { value: t.text, type: 'TEXT' };
    if (t.kind === 'param') {
      const n = Number(t.text);
      if (n < 1 || n > this.params.length) {
        throw new SqlError('08P01', `bind message supplies ${this.params.length} parameters, but prepared statement requires ${n}`);
      }
      const v = this.params[n - 1]!;
      return { value: v, type: typeof v === 'number' ? (Number.isInteger(v) ? 'INT4' : 'NUMERIC') : typeof v === 'boolean' ? 'BOOL' : 'TEXT' };
    }
    if (t.kind === 'word') {
      const w = t.text.toLowerCase();
      if (w === 'true' || w === 'false') return { value: w === 'true', type: 'BOOL' };
      if (w === 'null') return { value: null, type: 'TEXT' };
    }
    this.i--;
    throw this.syntax();
  }
}

function table(tables: Tables, name: string): Table {
  const t = tables.get(name);
  if (!t) throw new SqlError('42P01', `relation "${name}" does not exist`);
  return t;
}

function columnIndex(t: Table, name: string): number {
  const i = t.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new SqlError('42703', `column "${name}" does not exist`);
  return i;
}

/** A value as the Go driver hands it to JSON: numeric types other than integers come as strings. */
function stored(value: SqlValue, type: string): SqlValue {
  if (value === null) return null;
  if (type === 'INT2' || type === 'INT4' || type === 'INT8') {
    const n = Number(value);
    if (typeof value === 'boolean' || !Number.isInteger(n)) throw new SqlError('22P02', `invalid input syntax for type integer: "${String(value)}"`);
    return n;
  }
  if (type === 'BOOL') {
    if (typeof value === 'boolean') return value;
    const s = String(value).toLowerCase();
    if (['t', 'true', 'yes', 'on', '1'].includes(s)) return true;
    if (['f', 'false', 'no', 'off', '0'].includes(s)) return false;
    throw new SqlError('22P02', `invalid input syntax for type boolean: "${String(value)}"`);
  }
  if (type === 'NUMERIC' || type === 'FLOAT4' || type === 'FLOAT8') {
    if (typeof value === 'boolean' || Number.isNaN(Number(value))) throw new SqlError('22P02', `invalid input syntax for type numeric: "${String(value)}"`);
    return String(value);
  }
  return String(value);
}

const nothing = (affected = 0): SqlResult => ({ columns: [], rows: [], affected });

/** SELECT version() */
function selectVersion(p: Parser): SqlResult {
  p.expectSymbol('(');
  p.expectSymbol(')');
  p.end();
  return { columns: [{ name: 'version', type: 'TEXT' }], rows: [[MOCK_VERSION]], affected: 1 };
}

/** SELECT * | col, ... FROM t [WHERE col = v] [ORDER BY col [ASC|DESC]] [LIMIT n] */
function selectFrom(p: Parser, tables: Tables, star: boolean): SqlResult {
  const names: string[] = [];
  if (!star) {
    do names.push(p.ident());
    while (p.symbol(','));
  }
  p.expectWord('from');
  const t = table(tables, p.ident());
  const picked = star ? t.columns.map((_, i) => i) : names.map((n) => columnIndex(t, n));
  let rows = filter(p, t);
  if (p.word('order')) {
    p.expectWord('by');
    const at = columnIndex(t, p.ident());
    const desc = p.word('desc') ? true : (p.word('asc'), false);
    rows = [...rows].sort((a, b) => compare(a[at]!, b[at]!) * (desc ? -1 : 1));
  }
  if (p.word('limit')) {
    const n = p.value().value;
    if (typeof n !== 'number' || n < 0) throw new SqlError('2201W', 'LIMIT must not be negative');
    rows = rows.slice(0, n);
  }
  p.end();
  return { columns: picked.map((i) => t.columns[i]!), rows: rows.map((r) => picked.map((i) => r[i]!)), affected: rows.length };
}

/** SELECT <literal or $n> [AS name], ... (no FROM) */
function selectLiterals(p: Parser): SqlResult {
  const columns: SqlColumn[] = [];
  const row: SqlValue[] = [];
  do {
    const { value, type } = p.value();
    const name = p.word('as') ? p.ident() : '?column?';
    columns.push({ name, type });
    row.push(stored(value, type));
  } while (p.symbol(','));
  if (p.word('from')) throw new SqlError('0A000', 'SELECT of literals FROM a table is not supported by the mock', `${SUPPORTED}.`);
  p.end();
  return { columns, rows: [row], affected: 1 };
}

function select(p: Parser, tables: Tables): SqlResult {
  if (p.word('version')) return selectVersion(p);
  const star = p.symbol('*');
  const next = p.peek();
  // A word that is not a literal names a column: the statement reads a table.
  if (star || (next?.kind === 'word' && !['true', 'false', 'null'].includes(next.text.toLowerCase()))) return selectFrom(p, tables, star);
  return selectLiterals(p);
}

/** One column of CREATE TABLE: its name, its type, and modifiers the mock accepts and ignores. */
function columnDefinition(p: Parser): SqlColumn {
  const col = p.ident();
  const type = TYPES[p.ident()];
  if (!type) throw new SqlError('42704', `type is not supported by the mock (column "${col}")`, 'use integer, bigint, text, varchar, boolean, numeric, real, double, timestamp, date, uuid or json');
  // Modifiers the mock accepts and ignores: varchar(n), numeric(p, s), PRIMARY KEY, NOT NULL.
  if (p.symbol('(')) while (!p.symbol(')')) if (p.done()) throw p.syntax(); else p.value();
  if (type === 'FLOAT8') p.word('precision');
  for (;;) {
    if (p.word('primary')) p.expectWord('key');
    else if (p.word('not')) p.expectWord('null');
    else if (!p.word('unique') && !p.word('null')) break;
  }
  return { name: col, type };
}

/** CREATE TABLE [IF NOT EXISTS] t (col type, ...) */
function createTable(p: Parser, tables: Tables): SqlResult {
  p.expectWord('table');
  const ifNotExists = p.word('if') ? (p.expectWord('not'), p.expectWord('exists'), true) : false;
  const name = p.ident();
  p.expectSymbol('(');
  const columns: SqlColumn[] = [];
  do {
    const column = columnDefinition(p);
    if (columns.some((c) => c.name === column.name)) throw new SqlError('42701', `column "${column.name}" specified more than once`);
    columns.push(column);
  } while (p.symbol(','));
  p.expectSymbol(')');
  p.end();
  if (tables.has(name)) {
    if (ifNotExists) return nothing();
    throw new SqlError('42P07', `relation "${name}" already exists`);
  }
  tables.set(name, { columns, rows: [] });
  return nothing();
}

/** DROP TABLE [IF EXISTS] t */
function dropTable(p: Parser, tables: Tables): SqlResult {
  p.expectWord('table');
  const ifExists = p.word('if') ? (p.expectWord('exists'), true) : false;
  const name = p.ident();
  p.end();
  if (!tables.has(name) && !ifExists) throw new SqlError('42P01', `table "${name}" does not exist`);
  tables.delete(name);
  return nothing();
}

/** INSERT INTO t [(col, ...)] VALUES (v, ...)[, (...)] */
function insert(p: Parser, tables: Tables): SqlResult {
  p.expectWord('into');
  const t = table(tables, p.ident());
  let targets = t.columns.map((_, i) => i);
  if (p.symbol('(')) {
    targets = [];
    do targets.push(columnIndex(t, p.ident()));
    while (p.symbol(','));
    p.expectSymbol(')');
  }
  p.expectWord('values');
  const added: SqlValue[][] = [];
  do {
    p.expectSymbol('(');
    const values: SqlValue[] = [];
    do values.push(p.value().value);
    while (p.symbol(','));
    p.expectSymbol(')');
    if (values.length > targets.length) throw new SqlError('42601', 'INSERT has more expressions than target columns');
    if (values.length < targets.length) throw new SqlError('42601', 'INSERT has more target columns than expressions');
    const row: SqlValue[] = t.columns.map(() => null);
    targets.forEach((at, k) => (row[at] = stored(values[k]!, t.columns[at]!.type)));
    added.push(row);
  } while (p.symbol(','));
  p.end();
  t.rows.push(...added);
  return nothing(added.length);
}

/** DELETE FROM t [WHERE col = v] */
function deleteFrom(p: Parser, tables: Tables): SqlResult {
  p.expectWord('from');
  const t = table(tables, p.ident());
  const doomed = new Set(filter(p, t));
  p.end();
  t.rows = t.rows.filter((r) => !doomed.has(r));
  return nothing(doomed.size);
}

/** The statements the mock runs, by their first word (which the parser has consumed). */
const STATEMENTS = new Map<string, (p: Parser, tables: Tables) => SqlResult>([
  ['select', select],
  ['create', createTable],
  ['drop', dropTable],
  ['insert', insert],
  ['delete', deleteFrom],
]);

/** Runs one statement against `tables` (changed in place). */
export function execute(tables: Tables, sql: string, params: SqlValue[] = []): SqlResult {
  const p = new Parser(tokenize(sql), params);
  if (p.done()) return nothing();
  const first = p.peek()!;
  const run = first.kind === 'word' ? STATEMENTS.get(first.text.toLowerCase()) : undefined;
  if (!run) throw p.syntax();
  p.word(first.text.toLowerCase());
  return run(p, tables);
}

/** `WHERE col = value`, if present: the table's rows that match. */
function filter(p: Parser, t: Table): SqlValue[][] {
  if (!p.word('where')) return t.rows;
  const at = columnIndex(t, p.ident());
  p.expectSymbol('=');
  const raw = p.value().value;
  // NULL = anything is never true in SQL.
  if (raw === null) return [];
  const want = stored(raw, t.columns[at]!.type);
  return t.rows.filter((r) => r[at] === want);
}

function compare(a: SqlValue, b: SqlValue): number {
  // PostgreSQL sorts NULLs last in ascending order.
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

/** A deep copy, so that a transaction's statements can be undone by dropping it. */
export function cloneTables(tables: Tables): Tables {
  return new Map([...tables].map(([k, t]) => [k, { columns: t.columns.map((c) => ({ ...c })), rows: t.rows.map((r) => [...r]) }]));
}
