// The sandbox filesystem: the same in-memory disk the guest's shell reads and writes.
import posix from 'node:path/posix';
import type { FsStat } from 'just-bash';
import type { Handler, OpContext } from '../context.js';
import { ApiError } from '../errors.js';
import type { MockPlugin } from '../plugin.js';
import type { Sandbox } from '../state.js';
import { requireState, sandboxOf } from './common.js';

const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Absolute and normalised (".." cannot climb above /). */
function target(ctx: OpContext): { s: Sandbox; path: string } {
  const s = sandboxOf(ctx);
  requireState(ctx, s, ['running'], true);
  const path = posix.normalize(String(ctx.query.path)).replace(/(.)\/$/, '$1');
  return { s, path };
}

function notFound(path: string): ApiError {
  return new ApiError('file.not_found', `${path} does not exist in the sandbox`, { path });
}

/** What is at `path` (links followed, as `find -L` and `cat` do), or undefined. */
async function statOf(s: Sandbox, path: string): Promise<FsStat | undefined> {
  return s.fs.stat(path).catch(() => undefined);
}

/** The agent's DirEntry: `mode` is find's file type letter and `mtime` Unix seconds. */
function entry(path: string, st: FsStat): object {
  return {
    name: path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1), is_dir: st.isDirectory,
    size: st.isDirectory ? 4096 : st.size, mode: st.isDirectory ? 'd' : 'f', mtime: Math.floor(st.mtime.getTime() / 1000),
  };
}

/** Parent directories are created as `mkdir -p` would; a file in the way is a conflict. */
async function makeParents(s: Sandbox, path: string): Promise<void> {
  const parts = path.split('/').filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    const dir = `/${parts.slice(0, i).join('/')}`;
    const st = await statOf(s, dir);
    if (st && !st.isDirectory) throw new ApiError('file.conflict', `${dir} is a file, so ${path} cannot be created`, { path: dir, kind: 'file' });
    if (!st) await s.fs.mkdir(dir, { recursive: true });
  }
}

function filesystemHandlers(): Record<string, Handler> {
  return {
    readFile: async (ctx) => {
      const { s, path } = target(ctx);
      const st = await statOf(s, path);
      if (!st) throw notFound(path);
      if (st.isDirectory) throw new ApiError('file.conflict', `${path} is a directory; read a file or list the directory`, { path, kind: 'directory' });
      return { status: 200, type: 'application/octet-stream', body: Buffer.from(await s.fs.readFileBuffer(path)) };
    },
    writeFile: async (ctx) => {
      const { s, path } = target(ctx);
      const data = ctx.body as Buffer;
      if (data.length > MAX_FILE_BYTES) throw new ApiError('validation.body_too_large', `Request body is ${data.length} bytes; this operation accepts at most ${MAX_FILE_BYTES}`, { fields: [{ field: 'body', location: 'body', problem: 'too_large', message: `at most ${MAX_FILE_BYTES} bytes` }] });
      if ((await statOf(s, path))?.isDirectory) throw new ApiError('file.conflict', `${path} is a directory; write to a file path`, { path, kind: 'directory' });
      await makeParents(s, path);
      await s.fs.writeFile(path, new Uint8Array(data));
      return { status: 200, body: { path, bytes: data.length } };
    },
    deleteFile: async (ctx) => {
      const { s, path } = target(ctx);
      if (path === '/' || !(await s.fs.exists(path))) throw notFound(path);
      await s.fs.rm(path, { recursive: true, force: true });
      return { status: 204 };
    },
    listDirectory: async (ctx) => {
      const { s, path } = target(ctx);
      const st = await statOf(s, path);
      if (!st) throw notFound(path);
      if (!st.isDirectory) throw new ApiError('file.conflict', `${path} is a file; read it instead of listing it`, { path, kind: 'file' });
      const names = (await s.fs.readdir(path)).sort();
      const entries = [];
      for (const name of names) {
        const child = posix.join(path, name);
        const cst = await statOf(s, child);
        if (cst) entries.push(entry(child, cst));
      }
      return { status: 200, body: { path, entries } };
    },
    statFile: async (ctx) => {
      const { s, path } = target(ctx);
      const st = await statOf(s, path);
      if (!st) throw notFound(path);
      return { status: 200, body: entry(path, st) };
    },
  };
}

export const filesystemPlugin: MockPlugin = { name: 'filesystem', handlers: filesystemHandlers };
