// Vitest's globalSetup: once every test file has run, removes the scratch root that
// vitest.config.ts made for this run (the XDG cache and data dirs and the temp dir that the
// tests, and the binaries they spawn, use), so a run leaves nothing behind in /tmp.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

export default function setup(project: TestProject): () => void {
  const cache = project.config.env.XDG_CACHE_HOME;
  if (!cache) throw new Error('global-setup: vitest.config.ts sets no XDG_CACHE_HOME');
  const root = path.dirname(cache);
  return () => rmSync(root, { recursive: true, force: true });
}
