// What a recording (--record <dir>) says about itself: `<dir>/recording.json` with the source URL
// (credentials removed), network, chain tip, time and tool version of the run that recorded
// into it last. An --offline run over that directory carries it in its metadata and manifest,
// so a replayed case still names where its data came from and when.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { toolVersion } from '../version.js';

export const RECORDING_META_FILE = 'recording.json';
/** The tip file a recording holds when its run asked for the chain tip (resources.ts). */
const TIP_FILE = 'blocks_tip_height.txt';
/** A recording.json is a few hundred bytes; anything much bigger is not ours. */
const MAX_META_BYTES = 64 * 1024;

/**
 * A URL fit for metadata: no user name or password, and every query value replaced (API keys
 * ride there); an unparsable string is dropped rather than risk printing a secret.
 */
export function publicUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(unparsable URL not shown)';
  }
  u.username = '';
  u.password = '';
  for (const k of [...u.searchParams.keys()]) u.searchParams.set(k, 'REDACTED');
  return u.toString().replace(/\/+$/, '');
}

export interface RecordingInfo {
  dir: string;
  sourceUrl: string;
  network: string;
  now: Date;
}

/** Writes (replaces) `<dir>/recording.json`; called when the recording run closes its source. */
export function writeRecordingMeta(info: RecordingInfo): void {
  const tipFile = path.join(info.dir, TIP_FILE);
  let tip: number | null = null;
  if (existsSync(tipFile) && statSync(tipFile).size < 32) {
    const t = readFileSync(tipFile, 'utf8').trim();
    if (/^\d{1,9}$/.test(t)) tip = Number(t);
  }
  const meta = {
    format: 'btctrace-recording/1',
    tool: 'btctrace',
    version: toolVersion(),
    source_url: publicUrl(info.sourceUrl),
    network: info.network,
    tip_height: tip,
    recorded_at: info.now.toISOString(),
  };
  if (!existsSync(info.dir)) return; // nothing was recorded
  const target = path.join(info.dir, RECORDING_META_FILE);
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(meta, null, 2)}\n`);
  renameSync(temp, target);
}

/** The recording's own metadata for an --offline run, or null when the directory has none. */
export function readRecordingMeta(dir: string): Record<string, unknown> | null {
  const file = path.join(dir, RECORDING_META_FILE);
  if (!existsSync(file) || !statSync(file).isFile() || statSync(file).size > MAX_META_BYTES) return null;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) return null;
    const r = m as Record<string, unknown>;
    // only the known fields, as strings or numbers: a recording is outside data
    const out: Record<string, unknown> = {};
    for (const k of ['format', 'tool', 'version', 'source_url', 'network', 'tip_height', 'recorded_at'])
      if (typeof r[k] === 'string' || typeof r[k] === 'number') out[k] = r[k];
    return out;
  } catch {
    return null;
  }
}
