// Build step (npm run bundle, before bin/code-cache.js): esbuild bundles the CLI into
// dist/btctrace.cjs, the file bin/btctrace.js runs (see bin/bundle.js), with the changes
// bin/bundle-plugins.js makes (axios trimmed, cli-table3's widths, lazy built-ins).
import { build } from 'esbuild';
import { EXTERNAL, fastWidth, lazyBuiltins, trimAxios } from './bundle-plugins.js';

await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // import() becomes require(): bin/bundle.js compiles the bundle as a script, which cannot import()
  supported: { 'dynamic-import': false },
  outfile: 'dist/btctrace.cjs',
  external: EXTERNAL,
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "var importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [trimAxios, fastWidth, lazyBuiltins],
  logLevel: 'warning',
});
