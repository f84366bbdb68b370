// `btctrace cluster <address...>`: the common-input cluster of the seeds, expanded through the
// explorer until nothing new appears or a limit stops it (a cut cluster says so).
import { plural } from '../output/summary.js';
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { DEFAULT_VETO, parseVetoThreshold } from '../cluster/coinjoin/index.js';
import { expandCluster, type ClusterResult } from '../cluster/expand.js';
import { backendCluster, BACKEND_CLUSTER_CONVENTIONS } from '../cluster/backend.js';
import { checkAddress, normalizeAddress } from '../model/address.js';
import type { ChainSource } from '../sources/source.js';
import { EMPTY_TAGS, loadTags, type TagBook } from '../tags/tags.js';
import { guardText } from '../output/csv.js';
import { writeOutputAndManifest } from '../output/manifest.js';
import { resolveFormat, STDOUT_FILE } from '../output/format.js';
import type { RunMeta } from '../output/meta.js';
import { toolVersion } from '../version.js';
import type { IO } from './io.js';
import { checkWritableFile, optString, parseIntOption } from './parse.js';
import {
  describeSourceRequest,
  openSourceHandle,
  sourceRequest,
  type SourceRequest,
} from './source-options.js';

export function clusterCsv(r: ClusterResult, tags: TagBook): string {
  const rows = r.members.map((m) => {
    const tag = tags.get(m.address);
    return [
      m.clusterId,
      m.address,
      m.linkedByTxid ?? '',
      m.hop,
      guardText(tag?.label ?? ''),
      guardText(tag?.category ?? ''),
    ];
  });
  return stringify([['cluster_id', 'address', 'linked_by_txid', 'hop', 'label', 'category'], ...rows], {
    record_delimiter: '\n',
  });
}

export function clusterJson(r: ClusterResult, tags: TagBook, meta: RunMeta): string {
  return (
    JSON.stringify(
      {
        meta: {
          tool: meta.tool,
          version: meta.version,
          command: meta.command,
          source: meta.source,
          network: meta.network,
          started_at: meta.startedAt,
          finished_at: meta.finishedAt,
        },
        seeds: r.seeds,
        complete: r.complete,
        incomplete: r.incomplete,
        clusters: r.clusters,
        members: r.members.map((m) => ({
          cluster_id: m.clusterId,
          address: m.address,
          linked_by_txid: m.linkedByTxid,
          hop: m.hop,
          label: tags.get(m.address)?.label ?? null,
          category: tags.get(m.address)?.category ?? null,
        })),
        link_txids: r.linkTxids,
        coinjoin_veto: r.veto,
        coinjoins_not_linked: r.skipped,
        counts: r.counts,
      },
      null,
      2,
    ) + '\n'
  );
}

export function clusterTable(r: ClusterResult, tags: TagBook, color: boolean): string {
  const t = new Table({
    head: ['cluster', 'address', 'linked by', 'hop', 'label'],
    style: color ? {} : { head: [], border: [] },
  });
  for (const m of r.members) {
    const tag = tags.get(m.address);
    t.push([
      m.clusterId,
      m.address,
      m.linkedByTxid ?? '(seed)',
      m.hop,
      tag ? `${tag.label} (${tag.category})` : '',
    ]);
  }
  const lines = [
    t.toString(),
    `${plural(r.counts.members, 'address')} in ${plural(r.clusters.length, 'cluster')}; ${plural(r.counts.addressesExpanded, 'history')} and ${plural(r.counts.txsExamined, 'transaction')} read; ${plural(r.counts.linkingTxs, 'linking transaction')}; ${plural(r.counts.skippedCoinJoins, 'CoinJoin')} not used for linking (veto at ${r.veto} or stronger).`,
  ];
  for (const s of r.skipped)
    lines.push(`  not linked through CoinJoin ${s.txid} (${s.confidence}: ${s.reasons.join('; ')})`);
  if (!r.complete) {
    lines.push('INCOMPLETE CLUSTER: more addresses may belong to it:');
    for (const i of r.incomplete) lines.push(`  - ${i.message}`);
  }
  return lines.join('\n') + '\n';
}

export async function runClusterCommand(
  inputs: string[],
  opts: Record<string, unknown>,
  io: IO,
  argv: string[],
  openSource?: (req: SourceRequest) => ChainSource,
): Promise<number> {
  const req = sourceRequest(opts);
  const seeds = inputs.map((a) => {
    checkAddress(a.trim(), req.network);
    return normalizeAddress(a.trim());
  });
  // `-o -` is stdout; without --format the -o extension decides (.csv, .json), else a table.
  const outFile = typeof opts.output === 'string' && opts.output !== STDOUT_FILE ? opts.output : null;
  const format = resolveFormat(
    typeof opts.format === 'string' ? opts.format : undefined,
    outFile,
    ['table', 'csv', 'json'] as const,
    'table',
  );
  const limits = {
    maxAddresses: parseIntOption('--max-addresses', optString(opts, 'maxAddresses', '500'), 1),
    maxTxs: parseIntOption('--max-txs', optString(opts, 'maxTxs', '5000'), 1),
    maxAddressTxs: parseIntOption('--max-address-txs', optString(opts, 'maxAddressTxs', '1000'), 1),
  };
  const output = outFile === null ? null : checkWritableFile('--output', outFile);
  const tags = typeof opts.tags === 'string' ? loadTags(opts.tags, req.network) : EMPTY_TAGS;
  const veto = parseVetoThreshold(optString(opts, 'coinjoinVeto', DEFAULT_VETO));
  const startedAt = io.now();
  const handle = await openSourceHandle(req, io, openSource);
  try {
    const source = handle.source;
    // GraphSense answers with its own whole-chain entities (src/cluster/backend.ts).
    const result = handle.attribution
      ? await backendCluster(handle.attribution, seeds, limits.maxAddresses, veto)
      : await expandCluster(source, seeds, limits, { veto });
    const meta: RunMeta = {
      tool: 'btctrace',
      version: toolVersion(),
      command: argv,
      options: {
        ...limits,
        coinjoinVeto: veto,
        format,
        output,
        network: req.network,
        apiUrl: req.apiUrl ?? null,
        offline: req.offline ?? null,
      },
      source: describeSourceRequest(req),
      network: req.network,
      tipHeight: null,
      startedAt: startedAt.toISOString(),
      finishedAt: io.now().toISOString(),
      modelConventions: handle.attribution
        ? BACKEND_CLUSTER_CONVENTIONS
        : `common-input ownership; transactions with a CoinJoin finding of confidence ${veto} or stronger (equal-output, whirlpool, wasabi1, wasabi2, joinmarket) never link; Tx0s do`,
      partial: !result.complete,
      warnings: result.incomplete.map((i) => i.message),
      requests: source.stats().requests,
    };
    const text =
      format === 'csv'
        ? clusterCsv(result, tags)
        : format === 'json'
          ? clusterJson(result, tags, meta)
          : clusterTable(result, tags, output === null && io.stdoutIsTTY && !io.env.NO_COLOR) +
            (handle.attribution ? `Clusters are GraphSense's: ${BACKEND_CLUSTER_CONVENTIONS}.\n` : '');
    if (output) {
      await writeOutputAndManifest(output, text, {
        meta,
        counts: {
          members: result.counts.members,
          clusters: result.clusters.length,
          ...handle.counts(),
        },
      });
    } else io.stdout(text);
    if (!result.complete && !opts.quiet)
      io.stderr(`btctrace: INCOMPLETE CLUSTER: ${result.incomplete.map((i) => i.message).join('; ')}\n`);
    return result.complete ? 0 : 1;
  } finally {
    handle.close();
  }
}
