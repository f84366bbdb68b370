// Where the persistent cache lives by default. Kept apart from cache.ts so that reading the
// default location does not load the SQLite driver.
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * The platform's per-user cache directory for btctrace: $XDG_CACHE_HOME/btctrace (an absolute
 * XDG_CACHE_HOME only, as the XDG spec says) or ~/.cache/btctrace on Linux and other Unixes,
 * ~/Library/Caches/btctrace on macOS, %LOCALAPPDATA%\btctrace\cache on Windows.
 */
export function defaultCacheDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || path.win32.join(env.USERPROFILE || home, 'AppData', 'Local');
    return path.win32.join(local, 'btctrace', 'cache');
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Caches', 'btctrace');
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.posix.isAbsolute(xdg)) return path.posix.join(xdg, 'btctrace');
  return path.posix.join(home, '.cache', 'btctrace');
}
