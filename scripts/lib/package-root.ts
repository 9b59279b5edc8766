// The package's own checkout, where its tools are installed (a generation root may be a scratch
// copy). A module of its own so that libraries reach it without importing each other.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
