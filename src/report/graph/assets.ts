// The graph library, inlined into the page at run time from the installed npm packages (runtime
// dependencies), so the HTML opens with no network and no files beside it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let cached: string[] | null = null;

/** The minified cytoscape UMD build and the cytoscape-dagre UMD build (which bundles dagre). */
export function graphLibraries(): string[] {
  cached ??= [require.resolve('cytoscape/dist/cytoscape.min.js'), require.resolve('cytoscape-dagre')].map(
    (f) =>
      // "</script" inside a script element would end it; neither build contains it today, but be sure.
      readFileSync(f, 'utf8').replace(/<\/(script)/gi, '<\\/$1'),
  );
  return cached;
}
