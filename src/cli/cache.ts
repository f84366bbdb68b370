// `btctrace cache stats|clear`
import { cacheStats, clearCache } from '../sources/cache.js';
import { defaultCacheDir } from '../sources/cache-paths.js';
import type { IO } from './io.js';
import { optString } from './parse.js';

export function runCacheCommand(
  action: 'stats' | 'clear',
  opts: Record<string, unknown>,
  io: IO,
): Promise<number> {
  const dir = optString(opts, 'cacheDir', '') || defaultCacheDir();
  if (action === 'clear') {
    const r = clearCache(dir);
    io.stdout(
      `cleared ${r.file}: ${r.entriesRemoved} entries removed, ${r.bytesBefore} -> ${r.bytesAfter} bytes` +
        (r.filesRemoved.length ? `; removed ${r.filesRemoved.join(', ')}` : '') +
        '\n',
    );
    return Promise.resolve(0);
  }
  const s = cacheStats(dir);
  if (!s.exists) {
    io.stdout(`no cache at ${s.file} (nothing cached yet)\n`);
    return Promise.resolve(0);
  }
  const kinds = Object.entries(s.byKind)
    .map(([k, n]) => `  ${k.padEnd(16)}${n}`)
    .join('\n');
  io.stdout(
    `cache    ${s.file} (schema ${s.schemaVersion})\n` +
      `size     ${s.bytes} bytes, ${s.entries} entries\n` +
      `oldest   ${s.oldest ?? '-'}\nnewest   ${s.newest ?? '-'}\n${kinds}\n` +
      (s.movedAside.length ? `damaged files moved aside: ${s.movedAside.join(', ')}\n` : ''),
  );
  return Promise.resolve(0);
}
