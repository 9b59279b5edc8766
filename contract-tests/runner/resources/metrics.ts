// Metrics: nothing to create (the series are the workspace's), one code of its own to provoke.
import type { ResourceGroup } from './types.js';
import { validCall } from '../requests.js';

export const metricsGroup: ResourceGroup = {
  name: 'metrics',
  resources: [],
  provoke: {
    // Each bound is a valid date-time; together they span more than the 30 days allowed.
    'metrics.invalid_range': async (ctx, op) => {
      const call = await validCall(ctx.doc, ctx.fx, op);
      call.query = { ...call.query, from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' };
      return { call, expect: { status: 400, code: 'metrics.invalid_range', field: 'query.from' } };
    },
  },
};
