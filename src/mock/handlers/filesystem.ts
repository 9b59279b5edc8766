// The sandbox filesystem, kept in memory per sandbox.
import posix from 'node:path/posix';
import type { Handler, OpContext } from '../context.js';
import { ApiError } from '../errors.js';
import { now, type FsEntry, type Sandbox } from '../state.js';
import { requireState, sandboxOf } from './common.js';

const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Absolute, normalised (".." cannot climb above /); symlinks do not exist in the mock. */
function target(ctx: OpContext): { s: Sandbox; path: string } {
  const s = sandboxOf(ctx);
  requireState(ctx, s, ['running'], true);
  const path = posix.normalize(String(ctx.query.path)).replace(/(.)\/$/, '$1');
  return { s, path };
}

function notFound(path: string): ApiError {
  return new ApiError('file.not_found', `${path} does not exist in the sandbox`, { path });
}

/** The agent's DirEntry: `mode` is find's file type letter and `mtime` Unix seconds. */
function stat(path: string, e: FsEntry): object {
  return {
    name: path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1), is_dir: e.type === 'directory',
    size: e.data?.length ?? 4096, mode: e.type === 'directory' ? 'd' : 'f', mtime: Math.floor(Date.parse(e.modified) / 1000),
  };
}

function children(s: Sandbox, dir: string): string[] {
  const prefix = dir === '/' ? '/' : `${dir}/`;
  return [...s.fs.keys()].filter((p) => p !== dir && p.startsWith(prefix) && !p.slice(prefix.length).includes('/')).sort();
}

export function filesystemHandlers(): Record<string, Handler> {
  return {
    readFile: (ctx) => {
      const { s, path } = target(ctx);
      const e = s.fs.get(path);
      if (!e) throw notFound(path);
      if (e.type === 'directory') throw new ApiError('file.conflict', `${path} is a directory; read a file or list the directory`, { path, kind: 'directory' });
      return { status: 200, type: 'application/octet-stream', body: e.data! };
    },
    writeFile: (ctx) => {
      const { s, path } = target(ctx);
      const data = ctx.body as Buffer;
      if (data.length > MAX_FILE_BYTES) throw new ApiError('validation.body_too_large', `Request body is ${data.length} bytes; this operation accepts at most ${MAX_FILE_BYTES}`, { fields: [{ field: 'body', location: 'body', problem: 'too_large', message: `at most ${MAX_FILE_BYTES} bytes` }] });
      if (s.fs.get(path)?.type === 'directory') throw new ApiError('file.conflict', `${path} is a directory; write to a file path`, { path, kind: 'directory' });
      // Parent directories are created; a file in the way is a conflict.
      const parts = path.split('/').filter(Boolean);
      for (let i = 1; i < parts.length; i++) {
        const dir = `/${parts.slice(0, i).join('/')}`;
        const e = s.fs.get(dir);
        if (e?.type === 'file') throw new ApiError('file.conflict', `${dir} is a file, so ${path} cannot be created`, { path: dir, kind: 'file' });
        if (!e) s.fs.set(dir, { type: 'directory', modified: now() });
      }
      s.fs.set(path, { type: 'file', data: Buffer.from(data), modified: now() });
      return { status: 200, body: { path, bytes: data.length } };
    },
    deleteFile: (ctx) => {
      const { s, path } = target(ctx);
      if (!s.fs.has(path) || path === '/') throw notFound(path);
      for (const p of [...s.fs.keys()]) if (p === path || p.startsWith(`${path}/`)) s.fs.delete(p);
      return { status: 204 };
    },
    listDirectory: (ctx) => {
      const { s, path } = target(ctx);
      const e = s.fs.get(path);
      if (!e) throw notFound(path);
      if (e.type === 'file') throw new ApiError('file.conflict', `${path} is a file; read it instead of listing it`, { path, kind: 'file' });
      return { status: 200, body: { path, entries: children(s, path).map((p) => stat(p, s.fs.get(p)!)) } };
    },
    statFile: (ctx) => {
      const { s, path } = target(ctx);
      const e = s.fs.get(path);
      if (!e) throw notFound(path);
      return { status: 200, body: stat(path, e) };
    },
  };
}
