// Where the label store lives. Labels are the user's data (imports take minutes to redo and may
// hold an agency's own labels), so they go to the data directory, never the cache.
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * $XDG_DATA_HOME/btctrace/labels.sqlite (an absolute XDG_DATA_HOME only) or
 * ~/.local/share/btctrace/labels.sqlite on Linux and other Unixes; ~/Library/Application
 * Support/btctrace/labels.sqlite on macOS; %APPDATA%\btctrace\labels.sqlite on Windows.
 */
export function defaultLabelsFile(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    const roaming = env.APPDATA || path.win32.join(env.USERPROFILE || home, 'AppData', 'Roaming');
    return path.win32.join(roaming, 'btctrace', 'labels.sqlite');
  }
  if (platform === 'darwin')
    return path.posix.join(home, 'Library', 'Application Support', 'btctrace', 'labels.sqlite');
  const xdg = env.XDG_DATA_HOME;
  if (xdg && path.posix.isAbsolute(xdg)) return path.posix.join(xdg, 'btctrace', 'labels.sqlite');
  return path.posix.join(home, '.local', 'share', 'btctrace', 'labels.sqlite');
}

/** The store to use: --labels-db, else BTCTRACE_LABELS, else the default; and which one chose it. */
export function labelsFile(
  option: string | undefined,
  env: Record<string, string | undefined> = process.env,
): { file: string; chosen: 'option' | 'env' | 'default' } {
  if (option) return { file: path.resolve(option), chosen: 'option' };
  if (env.BTCTRACE_LABELS) return { file: path.resolve(env.BTCTRACE_LABELS), chosen: 'env' };
  return { file: defaultLabelsFile(env), chosen: 'default' };
}
