// A function's code bundle (POST /v1/functions/{id}/deploy): a gzip-compressed tar, checked as
// the service checks it (api/cmd/api/functions.go validateTarBundle: gzip magic bytes, no entry
// that is absolute or leaves the root, at most 200 MiB uncompressed), and read back into its files
// so the mock can run the entrypoint.
import { posix } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const MAX_UNCOMPRESSED = 200 * 1024 * 1024;

export class BundleError extends Error {}

export const isGzip = (b: Buffer): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

function text(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

function octal(block: Buffer, offset: number, length: number): number {
  const s = text(block, offset, length).trim();
  if (!/^[0-7]*$/.test(s)) throw new BundleError('tar: invalid header');
  return s ? parseInt(s, 8) : 0;
}

/** The bundle's regular files by their cleaned path, or a BundleError saying what is wrong. */
export function readBundle(data: Buffer): Map<string, Buffer> {
  if (!isGzip(data)) throw new BundleError('bundle must be a gzip/tar.gz file');
  let tar: Buffer;
  try {
    tar = gunzipSync(data, { maxOutputLength: MAX_UNCOMPRESSED + 1024 * 1024 });
  } catch (e) {
    throw new BundleError(/maxOutputLength|Cannot create a Buffer/i.test((e as Error).message) ? 'uncompressed bundle exceeds 200 MB limit' : `gzip: ${(e as Error).message}`);
  }
  const files = new Map<string, Buffer>();
  let total = 0;
  let longName: string | undefined;
  for (let pos = 0; pos + 512 <= tar.length; ) {
    const header = tar.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) return files;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    if (sum !== octal(header, 148, 8)) throw new BundleError('tar: invalid header');
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = pos + 512;
    if (dataStart + size > tar.length) throw new BundleError('tar: unexpected end of archive');
    const body = tar.subarray(dataStart, dataStart + size);
    pos = dataStart + Math.ceil(size / 512) * 512;
    // PAX and GNU long-name records describe the next entry; they are not entries themselves.
    if (type === 'x' || type === 'g' || type === 'K') continue;
    if (type === 'L') {
      longName = text(body, 0, body.length);
      continue;
    }
    const prefix = text(header, 257, 6) === 'ustar' ? text(header, 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    const clean = posix.normalize(name);
    if (posix.isAbsolute(clean) || clean.startsWith('..')) throw new BundleError(`unsafe path in bundle: ${JSON.stringify(name)}`);
    total += size;
    if (total > MAX_UNCOMPRESSED) throw new BundleError('uncompressed bundle exceeds 200 MB limit');
    if (type === '0' || type === '\0' || type === '7') files.set(clean.replace(/\/$/, ''), Buffer.from(body));
  }
  // An archive without its end-of-archive blocks still reads to its last whole entry, as Go's does.
  return files;
}
