#!/usr/bin/env node
// Entry point of the pandastack-contract command: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../contract-tests/runner/cli.ts');
