// Run metadata for the one-shot commands (tx, address): tool version, command line, effective
// options, data source, chain tip and time, as trace records them, for their JSON and manifest.
import type { RunMeta } from '../output/meta.js';
import { toolVersion } from '../version.js';
import type { IO } from './io.js';
import { describeSourceRequest, recordingOf, type SourceRequest } from './source-options.js';
import { publicUrl } from './recording-meta.js';

export interface CommandMetaInput {
  argv: string[];
  /** The command's own effective options (the source options are added). */
  options: Record<string, unknown>;
  req: SourceRequest;
  tip: number | null;
  startedAt: Date;
  io: IO;
  conventions: string;
  requests: number;
}

export function commandMeta(m: CommandMetaInput): RunMeta {
  const recording = recordingOf(m.req);
  return {
    ...(recording && { recording }),
    tool: 'btctrace',
    version: toolVersion(),
    command: m.argv,
    options: {
      ...m.options,
      network: m.req.network,
      provider: m.req.offline || m.req.apiUrl ? null : m.req.provider,
      apiUrl: m.req.apiUrl === undefined ? null : publicUrl(m.req.apiUrl),
      offline: m.req.offline ?? null,
      record: m.req.record ?? null,
      verifyTxids: m.req.verifyTxids,
      cache: m.req.cacheDir !== null,
    },
    source: describeSourceRequest(m.req),
    network: m.req.network,
    tipHeight: m.tip,
    startedAt: m.startedAt.toISOString(),
    finishedAt: m.io.now().toISOString(),
    modelConventions: m.conventions,
    partial: false,
    warnings: [],
    requests: m.requests,
  };
}
