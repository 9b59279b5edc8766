// What the mock serves beside the API: the bundled spec (JSON and YAML) and the rendered docs.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { bundledSpecPath } from '../spec/document.js';
import { renderedDocs } from './docs.js';
import { ApiError } from './errors.js';
import { requestId } from './ids.js';
import { fail } from './reply.js';

export function registerStaticRoutes(app: FastifyInstance): void {
  const files: [string, string, string][] = [
    ['/openapi.json', bundledSpecPath(), 'application/json; charset=utf-8'],
    ['/openapi.yaml', bundledSpecPath().replace(/\.json$/, '.yaml'), 'application/yaml; charset=utf-8'],
  ];
  for (const [url, file, type] of files) {
    app.get(url, (_req, reply) => reply.header('x-request-id', requestId()).type(type).send(fs.readFileSync(file)));
  }
  // The rendered docs: shipped built in a package, built at the first request in a checkout.
  const docs = renderedDocs(path.resolve(path.dirname(bundledSpecPath()), '..'));
  app.addHook('onClose', async () => docs.close());
  app.get('/docs', async (_req, reply) => {
    const id = requestId();
    const page = await docs.page();
    if ('problem' in page) return fail(reply, id, new ApiError('route.not_found', page.problem, { method: 'GET', path: '/docs' }));
    return reply.header('x-request-id', id).type('text/html; charset=utf-8').send(page.html);
  });
  // Typed or pasted with a trailing slash, it is still the docs.
  app.get('/docs/', (_req, reply) => reply.header('x-request-id', requestId()).redirect('/docs', 301));
}
