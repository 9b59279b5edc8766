// A toy resource group, "notes", as a contributor would add one: every hand-written file it takes,
// by role. test/resource-group-dry-run.test.ts writes these into a scratch copy of the package,
// regenerates, runs the contract suite on the new operations and counts what was touched.

/** A hand-written file of the group: its path, its role, and how it is written (whole, or an edit). */
export interface ToyFile {
  path: string;
  role: 'spec' | 'catalog' | 'mock' | 'runner' | 'test' | 'docs';
  write: (before: string | undefined) => string;
}

const NOTE_SCHEMA = `
            type: object
            additionalProperties: false
            required: [id, text, created_at]
            properties:
              id: {type: string, pattern: '^note_[0-9a-z]{8,32}$'}
              text: {type: string, minLength: 1, maxLength: 200}
              created_at: {type: string, format: date-time}`;

const COLLECTION = `parameters:
  - $ref: ../components/parameters/Workspace.yaml
post:
  operationId: createNote
  summary: Create a note
  description: Stores a short text in the workspace.
  tags: [Notes]
  requestBody:
    required: true
    content:
      application/json:
        schema:
          type: object
          additionalProperties: false
          required: [text]
          properties:
            text: {type: string, minLength: 1, maxLength: 200}
        example: {text: remember the milk}
  responses:
    '201':
      description: The note.
      headers:
        X-Request-Id:
          $ref: ../components/headers/X-Request-Id.yaml
      content:
        application/json:
          schema:${NOTE_SCHEMA}
          example: {id: note_0123456789ab, text: remember the milk, created_at: '2026-01-01T00:00:00Z'}
get:
  operationId: listNotes
  summary: List notes
  description: The workspace's notes, oldest first, as one bare array.
  tags: [Notes]
  responses:
    '200':
      description: The notes.
      headers:
        X-Request-Id:
          $ref: ../components/headers/X-Request-Id.yaml
      content:
        application/json:
          schema:
            type: array
            items:${NOTE_SCHEMA.replace(/\n {12}/g, '\n              ')}
          example: []
`;

const ITEM = `parameters:
  - $ref: ../components/parameters/Workspace.yaml
  - name: id
    in: path
    required: true
    description: The note's id.
    schema: {type: string, pattern: '^note_[0-9a-z]{8,32}$'}
get:
  operationId: getNote
  summary: Get a note
  description: One note.
  tags: [Notes]
  responses:
    '200':
      description: The note.
      headers:
        X-Request-Id:
          $ref: ../components/headers/X-Request-Id.yaml
      content:
        application/json:
          schema:${NOTE_SCHEMA}
          example: {id: note_0123456789ab, text: remember the milk, created_at: '2026-01-01T00:00:00Z'}
delete:
  operationId: deleteNote
  summary: Delete a note
  description: Deletes the note.
  tags: [Notes]
  responses:
    '204':
      description: Deleted.
      headers:
        X-Request-Id:
          $ref: ../components/headers/X-Request-Id.yaml
`;

const MOCK = `// Notes: short texts kept per workspace.
import { ws, type Handler } from '../context.js';
import { ApiError } from '../errors.js';
import { lowerId } from '../ids.js';
import { workspaceState, type MockPlugin } from '../plugin.js';
import { now } from '../state.js';

interface Note {
  id: string;
  text: string;
  created_at: string;
}

const notesOf = workspaceState('notes', () => new Map<string, Note>());

function noteHandlers(): Record<string, Handler> {
  const find = (notes: Map<string, Note>, id: string): Note => {
    const note = notes.get(id);
    if (!note) throw new ApiError('note.not_found', \`Note \${id} does not exist\`, { resource: 'note', id });
    return note;
  };
  return {
    createNote: (ctx) => {
      const note = { id: \`note_\${lowerId(12)}\`, text: (ctx.body as { text: string }).text, created_at: now() };
      notesOf.of(ws(ctx)).set(note.id, note);
      return { status: 201, body: note };
    },
    listNotes: (ctx) => ({ status: 200, body: [...notesOf.of(ws(ctx)).values()] }),
    getNote: (ctx) => ({ status: 200, body: find(notesOf.of(ws(ctx)), ctx.params.id!) }),
    deleteNote: (ctx) => {
      const notes = notesOf.of(ws(ctx));
      find(notes, ctx.params.id!);
      notes.delete(ctx.params.id!);
      return { status: 204 };
    },
  };
}

export const notesPlugin: MockPlugin = {
  name: 'notes',
  handlers: noteHandlers,
  counts: (_state, w) => ({ notes: notesOf.peek(w)?.size ?? 0 }),
};
`;

const RUNNER = `// Notes: made with a text that carries the run's name, deleted by id.
import type { ResourceGroup, ResourceType } from './types.js';

const NOTE: ResourceType = {
  kind: 'note',
  path: '/v1/notes',
  param: 'id',
  async create(fx, _params, creds) {
    const ex = await fx.do({ operationId: 'createNote', json: { text: fx.name('note') }, creds }, 'create a note');
    return fx.idOf(ex, NOTE);
  },
  createdBy: { operationId: 'createNote', idField: 'id' },
  deleteBy: { operationId: 'deleteNote', param: 'id', auth: 'apiKey' },
  listedBy: { operationId: 'listNotes', nameField: 'text' },
  notFound: { code: 'note.not_found', value: (nonce) => \`note_\${Buffer.from(nonce).toString('hex').slice(0, 16).padEnd(16, '0')}\` },
};

export const notesGroup: ResourceGroup = {
  name: 'notes',
  resources: [NOTE],
  prepare: {
    // The sweep finds the run's notes by the name their text carries.
    createNote: async (fx, call) => {
      call.json = { text: fx.name('note') };
    },
  },
};
`;

const TEST = `// The notes group against the embedded mock: a note is made, read, listed and deleted.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startMock, type RunningMock } from '../src/mock/server.js';

let mock: RunningMock;
before(async () => {
  mock = await startMock({ port: 0 });
});
after(() => mock.close());

it('makes, reads and deletes a note', async () => {
  const headers = { authorization: \`Bearer \${mock.apiKey}\`, 'content-type': 'application/json' };
  const created = await fetch(\`\${mock.url}/v1/notes\`, { method: 'POST', headers, body: JSON.stringify({ text: 'milk' }) });
  assert.equal(created.status, 201);
  const note = (await created.json()) as { id: string };
  assert.equal((await fetch(\`\${mock.url}/v1/notes/\${note.id}\`, { headers })).status, 200);
  assert.equal((await fetch(\`\${mock.url}/v1/notes/\${note.id}\`, { method: 'DELETE', headers })).status, 204);
  assert.equal((await fetch(\`\${mock.url}/v1/notes/\${note.id}\`, { headers })).status, 404);
});
`;

/** An edit that must find its anchor: a silent miss would make the dry run prove nothing. */
function insertAfter(anchor: string, text: string): (before: string | undefined) => string {
  return (before) => {
    if (before === undefined || !before.includes(anchor)) throw new Error(`the anchor ${JSON.stringify(anchor)} is gone`);
    return before.replace(anchor, anchor + text);
  };
}

function insertBefore(anchor: string, text: string): (before: string | undefined) => string {
  return (before) => {
    if (before === undefined || !before.includes(anchor)) throw new Error(`the anchor ${JSON.stringify(anchor)} is gone`);
    return before.replace(anchor, text + anchor);
  };
}

export const TOY_FILES: ToyFile[] = [
  { path: 'spec/paths/notes.yaml', role: 'spec', write: () => COLLECTION },
  { path: 'spec/paths/notes_{id}.yaml', role: 'spec', write: () => ITEM },
  {
    path: 'openapi.yaml',
    role: 'spec',
    write: (before) =>
      insertAfter('  /v1/volumes/{name}:\n    $ref: spec/paths/volumes_{name}.yaml\n', '  /v1/notes:\n    $ref: spec/paths/notes.yaml\n  /v1/notes/{id}:\n    $ref: spec/paths/notes_{id}.yaml\n')(
        insertAfter('tags:\n', '  - name: Notes\n    description: Short texts kept per workspace.\n')(before),
      ),
  },
  {
    path: 'spec/errors/catalog.yaml',
    role: 'catalog',
    write: insertBefore(
      '  volume.not_found:\n',
      '  note.not_found:\n    status: 404\n    retryable: false\n    meaning: No note has this id in this workspace.\n    details: ResourceDetails\n    produced_by: input\n    operations: [getNote, deleteNote]\n    example:\n      message: "Note note_0123456789ab does not exist"\n      details: { resource: note, id: note_0123456789ab }\n',
    ),
  },
  { path: 'src/mock/groups/notes.ts', role: 'mock', write: () => MOCK },
  { path: 'contract-tests/runner/resources/notes.ts', role: 'runner', write: () => RUNNER },
  { path: 'test/notes.test.ts', role: 'test', write: () => TEST },
  {
    path: 'docs/resource-groups.md',
    role: 'docs',
    write: (before) => {
      if (before === undefined || !before.endsWith(' |\n')) throw new Error('docs/resource-groups.md no longer ends with its table');
      return `${before}| Notes: short texts | \`notes.ts\` | \`notes.ts\` |\n`;
    },
  },
];
