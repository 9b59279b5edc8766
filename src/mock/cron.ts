// Cron expressions as the service reads a schedule's `cron` (api/cmd/api/functions.go: the
// robfig/cron v3 parser with minute, hour, day-of-month, month and day-of-week fields, no
// seconds, no `@` descriptors), their next time in UTC, and the pattern the spec gives the field.
//
// The pattern accepts exactly expressions this parser accepts (a range's start never after its
// end, every value in its field's bounds), so a request the spec calls valid is never refused as
// invalid. It is stricter than the service in three rare forms: numbers written with more than
// two digits (`005`, `010`) or a `+`, steps over 999999999, and a `CRON_TZ=`/`TZ=` prefix.

export interface CronField {
  name: string;
  min: number;
  max: number;
  /** Names a value may be given by (lowercase; matched in any case), by value. */
  names?: Record<string, number>;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export const CRON_FIELDS: CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: Object.fromEntries(MONTHS.map((m, i) => [m, i + 1])) },
  { name: 'day of week', min: 0, max: 6, names: Object.fromEntries(DAYS.map((d, i) => [d, i])) },
];

export interface Cron {
  /** The values each field allows, in CRON_FIELDS order. */
  allowed: Set<number>[];
  /** Day of month or day of week given as `*` (or `?`): then both must match, else either. */
  domStar: boolean;
  dowStar: boolean;
}

export class CronError extends Error {}

function number(text: string, field: CronField): number {
  const named = field.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\+?[0-9]+$/.test(text)) throw new CronError(`${field.name}: "${text}" is not a number${field.names ? ' or a name' : ''}`);
  return Number(text);
}

/** One comma-separated part of a field: adds its values, and says whether it was a star. */
function part(text: string, field: CronField, into: Set<number>): boolean {
  const slash = text.split('/');
  if (slash.length > 2) throw new CronError(`${field.name}: too many slashes in "${text}"`);
  const bounds = slash[0]!.split('-');
  let start: number;
  let end: number;
  let star = false;
  if (bounds[0] === '*' || bounds[0] === '?') {
    if (bounds.length > 1) throw new CronError(`${field.name}: "${text}" is not a range`);
    [start, end, star] = [field.min, field.max, true];
  } else {
    if (bounds.length > 2) throw new CronError(`${field.name}: too many hyphens in "${text}"`);
    start = number(bounds[0]!, field);
    end = bounds.length === 2 ? number(bounds[1]!, field) : start;
  }
  let step = 1;
  if (slash.length === 2) {
    if (!/^\+?[0-9]+$/.test(slash[1]!)) throw new CronError(`${field.name}: step "${slash[1]}" is not a number`);
    step = Number(slash[1]);
    if (bounds.length === 1 && !star) end = field.max;
    if (step > 1) star = false;
  }
  if (start < field.min) throw new CronError(`${field.name}: ${start} is below ${field.min}`);
  if (end > field.max) throw new CronError(`${field.name}: ${end} is above ${field.max}`);
  if (start > end) throw new CronError(`${field.name}: the range ${text} starts after it ends`);
  if (step === 0) throw new CronError(`${field.name}: the step must be positive`);
  for (let v = start; v <= end; v += step) into.add(v);
  return star;
}

/** Parses an expression, or throws a CronError saying what is wrong with it. */
export function parseCron(expression: string): Cron {
  const text = expression.trim();
  if (!text) throw new CronError('the expression is empty');
  if (text.startsWith('@')) throw new CronError('descriptors such as @daily are not accepted; use five fields');
  const fields = text.split(/[ \t\n\r\v\f]+/);
  if (fields.length !== 5) throw new CronError(`expected exactly 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`);
  const allowed: Set<number>[] = [];
  const stars: boolean[] = [];
  fields.forEach((f, i) => {
    const set = new Set<number>();
    let star = false;
    for (const p of f.split(',')) star = part(p, CRON_FIELDS[i]!, set) || star;
    allowed.push(set);
    stars.push(star);
  });
  return { allowed, domStar: stars[2]!, dowStar: stars[4]! };
}

function dayMatches(c: Cron, t: Date): boolean {
  const dom = c.allowed[2]!.has(t.getUTCDate());
  const dow = c.allowed[4]!.has(t.getUTCDay());
  return c.domStar || c.dowStar ? dom && dow : dom || dow;
}

/**
 * The first minute strictly after `from` the expression allows (UTC), or undefined when none
 * comes within five years (say, February 30th), as the service's parser gives up then too.
 */
export function nextRun(c: Cron, from: Date): Date | undefined {
  const t = new Date(Math.floor(from.getTime() / 60_000) * 60_000 + 60_000);
  const limit = t.getUTCFullYear() + 5;
  // Each step moves to the start of the next month, day, hour or minute; at most 5 years of them.
  while (t.getUTCFullYear() <= limit) {
    if (!c.allowed[3]!.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(c, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!c.allowed[1]!.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!c.allowed[0]!.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else return t;
  }
  return undefined;
}

// --- the pattern -------------------------------------------------------------------------------

/** A regex for the decimal numbers lo..hi (one optional leading zero before a single digit). */
function numbers(lo: number, hi: number): string {
  const out: string[] = [];
  if (lo <= 9) out.push(`0?${lo === Math.min(hi, 9) ? lo : `[${lo}-${Math.min(hi, 9)}]`}`);
  for (let tens = Math.max(1, Math.floor(lo / 10)); tens <= Math.floor(hi / 10); tens++) {
    const from = Math.max(lo, tens * 10) % 10;
    const to = Math.min(hi, tens * 10 + 9) % 10;
    if (tens * 10 + from > hi) break;
    out.push(`${tens}${from === to ? from : `[${from}-${to}]`}`);
  }
  return out.join('|');
}

const anyCase = (name: string) => [...name].map((ch) => `[${ch.toUpperCase()}${ch}]`).join('');

/** The values lo..max of a field, as numbers or names. */
function valuesFrom(field: CronField, lo: number): string {
  const names = Object.entries(field.names ?? {}).filter(([, v]) => v >= lo).map(([n]) => anyCase(n));
  return [numbers(lo, field.max), ...names].join('|');
}

function fieldPattern(field: CronField): string {
  const ranges: string[] = [];
  for (let a = field.min; a <= field.max; a++) {
    const start = [numbers(a, a), ...Object.entries(field.names ?? {}).filter(([, v]) => v === a).map(([n]) => anyCase(n))].join('|');
    ranges.push(`(?:${start})-(?:${valuesFrom(field, a)})`);
  }
  const element = `(?:[*?]|${ranges.join('|')}|${valuesFrom(field, field.min)})(?:/[1-9][0-9]{0,8})?`;
  return `(?:${element})(?:,(?:${element}))*`;
}

/** The JSON Schema pattern of a cron expression (see the header). */
export function cronPattern(): string {
  return `^[ \\t]*${CRON_FIELDS.map(fieldPattern).join('[ \\t]+')}[ \\t]*$`;
}
