#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script):
// tsc's modules under dist/cli/, and the same program bundled by esbuild into dist/btctrace.cjs,
// which starts faster (one file, compiled from V8's code cache: bin/bundle.js) than some 140
// modules to resolve and compile. The bundle runs only when it is at least as new as tsc's
// output, so a `tsc` alone after an edit never leaves the CLI running older code; without a
// bundle the modules run.
// `--version` alone is answered here, without loading the CLI: scripts call it often.
import { readFileSync, statSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const built = (file) => statSync(new URL(file, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
  const bundle = built('../dist/btctrace.cjs');
  const { main } =
    bundle >= 0 && bundle >= built('../dist/cli/main.js')
      ? (await import('./bundle.js')).loadBundle()
      : await import('../dist/cli/main.js');
  process.exitCode = await main(args);
}
