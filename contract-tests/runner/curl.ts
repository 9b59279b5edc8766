// A request as a command a person can paste into a shell to see the answer again. The run's own
// credentials become $PANDASTACK_TOKEN and $PANDASTACK_JWT, so a report never carries a secret.
import type { SentRequest } from './http.js';

export interface Secrets {
  apiKey?: string;
  jwt?: string;
}

const MAX_INLINE_BODY = 4096;

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Bytes as a printf format (octal escapes survive NUL bytes, which no shell string holds). */
function printfFormat(buf: Buffer): string {
  let out = '';
  for (const b of buf) {
    if (b === 0x25) out += '%%';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x27) out += `'\\''`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `'${out}'`;
}

function bodyArgument(body: Buffer | string): string {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (buf.length > MAX_INLINE_BODY) {
    // Large probes are one byte repeated after a short prefix: say how to make one.
    return `--data-binary @body.bin  # ${buf.length} bytes starting ${JSON.stringify(buf.subarray(0, 40).toString('latin1'))}; e.g. head -c ${buf.length} /dev/zero | tr '\\0' a > body.bin`;
  }
  const text = buf.toString('utf8');
  const printable = Buffer.from(text, 'utf8').equals(buf) && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text);
  return printable ? `--data-binary ${quote(text)}` : `--data-binary @<(printf ${printfFormat(buf)})`;
}

export function toCurl(req: SentRequest, secrets: Secrets = {}): string {
  const parts = ['curl', '-sS', '-i'];
  if (req.method !== 'GET' || req.body !== undefined) parts.push('-X', req.method);
  parts.push(quote(req.url));
  for (const [name, value] of Object.entries(req.headers)) {
    if (/^authorization$/i.test(name)) {
      const bearer = /^Bearer\s+(.*)$/i.exec(value)?.[1];
      if (bearer !== undefined && bearer === secrets.apiKey) {
        parts.push('-H', `"${name}: Bearer $PANDASTACK_TOKEN"`);
        continue;
      }
      if (bearer !== undefined && bearer === secrets.jwt) {
        parts.push('-H', `"${name}: Bearer $PANDASTACK_JWT"`);
        continue;
      }
    }
    parts.push('-H', quote(`${name}: ${value}`));
  }
  if (req.body !== undefined) parts.push(bodyArgument(req.body));
  return parts.join(' ');
}
