// What bin/build-bundle.js changes in the bundled CLI, as esbuild plugins. The packages named in
// EXTERNAL stay outside it (native code, or too big and rarely used), required at run time.
//
// axios goes in from its ES module sources rather than its prebuilt node build, so that what
// btctrace never uses of it is left out or made lazy, and loading it costs less on the way to
// the first request (the transport always names the http adapter and sends no forms):
// - the fetch and XMLHttpRequest adapters: the fetch one probes globalThis fetch, Request and
//   ReadableStream as it loads, which makes node load undici (some 30 ms here); the xhr one is
//   `false` in node in any case;
// - form-data (and mime-db with it, a 160 kB table), for multipart bodies: a stand-in that
//   throws if a form is ever built;
// - utils.js's look at globalThis.FormData (undici again), done on the first isFormData() call
//   instead of at load.
// Each replaced text is checked to be there, so an axios update that moves it fails the build.
//
// cli-table3 measures every cell, and every line of it, several times with string-width, whose
// emoji and ANSI regular expressions dominate drawing a table (some 40 of the demo table's
// 90 ms under --cpu-prof). It gets a string-width that answers a string's length for printable
// ASCII and "…" (the shortened ids) at once, which is what string-width returns for them: ANSI
// codes start with ESC or CSI, no emoji is made of these characters (checked over all 1.08
// million strings of up to three of them), none is a control, combining or full-width one.
// Anything else goes to string-width itself.
//
// commander requires node:child_process as it loads, for executable subcommands (btctrace has
// none); loading it (and dgram, net with it) cost some 12 ms under --cpu-prof before a command
// could start. axios's http adapter imports http2, used only for httpVersion 2 (btctrace asks
// for 1.1). Both get a stand-in that requires the module on its first use.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const EXTERNAL = [
  'better-sqlite3',
  'tiny-secp256k1',
  'cytoscape',
  'cytoscape-dagre',
  '@google-cloud/bigquery',
];

const STUBS = {
  // adapters.js reads getFetch (for adapter: 'fetch') and the default export (unused)
  fetch: 'export const getFetch = () => false;\nexport default false;\n',
  xhr: 'export default false;\n',
  'form-data': `export default class FormData {
  constructor() {
    throw new Error('btctrace: form-data is not in the bundle (btctrace sends no multipart bodies)');
  }
}
`,
};

const FORM_DATA_PROBE = "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;";
const FORM_DATA_USE = 'if (FormDataCtor && thing instanceof FormDataCtor) return true;';

/** utils.js with the globalThis.FormData look moved from load time into isFormData(). */
function lazyFormDataProbe(source, file) {
  if (!source.includes(FORM_DATA_PROBE) || !source.includes(FORM_DATA_USE))
    throw new Error(`build-bundle: ${file} no longer has the FormData probe this build makes lazy`);
  return source
    .replace(
      FORM_DATA_PROBE,
      'let FormDataCtor; // the class, or false without one; undefined until the first isFormData()\n' +
        "const formDataCtor = () => (FormDataCtor ??= typeof G.FormData !== 'undefined' ? G.FormData : false);",
    )
    .replace(FORM_DATA_USE, 'if (formDataCtor() && thing instanceof FormDataCtor) return true;');
}

export const trimAxios = {
  name: 'trim-axios',
  setup(b) {
    // the import in src/sources/http-exchange.ts: the ES module build instead, by its package name
    b.onResolve({ filter: /^axios\/dist\/node\/axios\.cjs$/ }, (args) =>
      b.resolve('axios', { kind: 'import-statement', resolveDir: args.resolveDir }),
    );
    b.onResolve({ filter: /^\.\/(fetch|xhr)\.js$/ }, (args) =>
      /[\\/]axios[\\/]lib[\\/]adapters$/.test(args.resolveDir)
        ? { path: args.path.slice(2, -3), namespace: 'axios-stub' }
        : undefined,
    );
    b.onResolve({ filter: /^form-data$/ }, (args) =>
      /[\\/]axios[\\/]lib[\\/]/.test(args.importer)
        ? { path: 'form-data', namespace: 'axios-stub' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'axios-stub' }, (args) => ({
      contents: STUBS[args.path],
      loader: 'js',
    }));
    b.onLoad({ filter: /[\\/]axios[\\/]lib[\\/]utils\.js$/ }, async (args) => ({
      contents: lazyFormDataProbe(await readFile(args.path, 'utf8'), args.path),
      loader: 'js',
    }));
  },
};

export const FAST_WIDTH = `const stringWidth = require('string-width');
const PLAIN = /^[\\x20-\\x7e\\u2026]*$/;
module.exports = (text) => (typeof text === 'string' && PLAIN.test(text) ? text.length : stringWidth(text));
`;

export const fastWidth = {
  name: 'fast-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      args.namespace === 'file' && /[\\/]cli-table3[\\/]/.test(args.importer)
        ? { path: path.join(path.dirname(args.importer), 'string-width'), namespace: 'fast-width' }
        : undefined,
    );
    // its own require('string-width') resolves from cli-table3's directory, as cli-table3's would
    b.onLoad({ filter: /.*/, namespace: 'fast-width' }, (args) => ({
      contents: FAST_WIDTH,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

/** Built-in modules that these packages get as stand-ins requiring them on first use. */
const LAZY_BUILTINS = [
  { name: 'node:child_process', importer: /[\\/]commander[\\/]/ },
  { name: 'http2', importer: /[\\/]axios[\\/]lib[\\/]/ },
];

// __esModule is answered without loading (no built-in has it): esbuild's interop asks for it
export const lazyModule = (name) => `let real;
const load = () => (real ??= require(${JSON.stringify(name)}));
module.exports = new Proxy(
  {},
  {
    get: (_target, key) => (key === '__esModule' ? undefined : load()[key]),
    has: (_target, key) => key in load(),
  },
);
`;

export const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    for (const { name, importer } of LAZY_BUILTINS) {
      const filter = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
      b.onResolve({ filter }, (args) =>
        args.namespace === 'file' && importer.test(args.importer)
          ? { path: name, namespace: 'lazy-builtin' }
          : undefined,
      );
    }
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: lazyModule(args.path),
      loader: 'js',
    }));
  },
};
