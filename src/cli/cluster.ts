// `btctrace cluster <address...>`: the common-input cluster of the seeds, expanded through the
// explorer until nothing new appears or a limit stops it (a cut cluster says so).
import { plural } from '../output/summary.js';
import { fittedTable, terminalWidth } from '../output/fit.js';
import { FULL_WIDTH, shortMiddle } from '../output/table.js';
import { stringify } from 'csv-stringify/sync';
import { DEFAULT_VETO, parseVetoThreshold } from '../cluster/coinjoin/index.js';
import type { ClusterResult } from '../cluster/cluster-result.js';
import { expandCluster } from '../cluster/expand.js';
import { backendCluster, BACKEND_CLUSTER_CONVENTIONS } from '../cluster/backend.js';
import { combineBooks } from '../labels/combine.js';
import { checkAddress, normalizeAddress } from '../model/address.js';
import type { ChainSource } from '../sources/source.js';
import type { LabelBook } from '../labels/label.js';
import { clusterLabels } from '../labels/inherit.js';
import {
  LABEL_CSV_COLUMNS,
  labelCsvCells,
  labelFields,
  labelText,
  type LabelFields,
} from '../output/label-cells.js';
import { commandBook } from './label-book.js';
import { guardText } from '../output/csv.js';
import { writeOutputAndManifest } from '../output/manifest.js';
import { resolveFormat, STDOUT_FILE } from '../output/format.js';
import type { RunMeta } from '../output/meta.js';
import { toolVersion } from '../version.js';
import type { IO } from './io.js';
import { InputError } from '../model/errors.js';
import { readSeedList } from './seed-list.js';
import { checkWritableFile, optString, parseIntOption } from './parse.js';
import { safeCells, safeText } from '../output/escape.js';
import {
  describeSourceRequest,
  openSourceHandle,
  recordingOf,
  sourceRequest,
  type SourceRequest,
} from './source-options.js';

/** Every member's label fields: its own best label, else its cluster's defining label (inherited). */
export function memberLabels(r: ClusterResult, book: LabelBook, all = false): Map<string, LabelFields> {
  const clusterOf = new Map(r.members.map((m) => [m.address, m.clusterId]));
  const own = book.lookup([...clusterOf.keys()]);
  const inherited = clusterLabels(clusterOf, book, all);
  const out = new Map<string, LabelFields>();
  for (const m of r.members) {
    const mine = own.get(m.address);
    const via = inherited.get(m.clusterId);
    out.set(
      m.address,
      mine && mine.length > 0
        ? labelFields(mine)
        : via
          ? labelFields([via.label], `cluster ${m.clusterId} (${via.from})`)
          : labelFields(undefined),
    );
  }
  return out;
}

export function clusterCsv(r: ClusterResult, labels: ReadonlyMap<string, LabelFields>): string {
  const rows = r.members.map((m) => [
    m.clusterId,
    m.address,
    m.linkedByTxid ?? '',
    m.hop,
    ...labelCsvCells(labels.get(m.address)!).map((c) =>
      c === null ? '' : typeof c === 'number' ? c : guardText(c),
    ),
  ]);
  return stringify([['cluster_id', 'address', 'linked_by_txid', 'hop', ...LABEL_CSV_COLUMNS], ...rows], {
    record_delimiter: '\n',
  });
}

export function clusterJson(
  r: ClusterResult,
  labels: ReadonlyMap<string, LabelFields>,
  meta: RunMeta,
): string {
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
        members: r.members.map((m) => {
          const l = labels.get(m.address)!;
          return {
            cluster_id: m.clusterId,
            address: m.address,
            linked_by_txid: m.linkedByTxid,
            hop: m.hop,
            label: l.label,
            category: l.category,
            abuse: l.abuse,
            label_confidence: l.confidence,
            label_source: l.source,
            label_via: l.via,
          };
        }),
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

export function clusterTable(
  r: ClusterResult,
  labels: ReadonlyMap<string, LabelFields>,
  color: boolean,
  width: number | null = null,
): string {
  // width null (--wide): full ids; otherwise cluster ids and linking txids shortened in the middle
  // (member addresses stay whole: they are what the table is for), labels wrapped
  const short = width !== null && width < FULL_WIDTH;
  const head = ['cluster', 'address', 'linked by', 'hop', 'label'];
  const rows = r.members.map((m) => {
    return safeCells([
      short && m.clusterId.length > 20 ? shortMiddle(m.clusterId, 10, 6) : m.clusterId,
      m.address,
      m.linkedByTxid ? (short ? shortMiddle(m.linkedByTxid, 8, 4) : m.linkedByTxid) : '(seed)',
      m.hop,
      labelText(labels.get(m.address)!),
    ]);
  });
  const table = fittedTable(
    head,
    rows,
    [false, false, false, false, true],
    color ? {} : { head: [], border: [] },
    width,
  );
  const lines = [
    table,
    `${plural(r.counts.members, 'address')} in ${plural(r.clusters.length, 'cluster')}; ${plural(r.counts.addressesExpanded, 'history')} and ${plural(r.counts.txsExamined, 'transaction')} read; ${plural(r.counts.linkingTxs, 'linking transaction')}; ${plural(r.counts.skippedCoinJoins, 'CoinJoin')} not used for linking (veto at ${r.veto} or stronger).`,
  ];
  for (const s of r.skipped)
    lines.push(`  not linked through CoinJoin ${s.txid} (${s.confidence}: ${s.reasons.join('; ')})`);
  if (!r.complete) {
    lines.push('INCOMPLETE CLUSTER: more addresses may belong to it:');
    for (const i of r.incomplete) lines.push(`  - ${safeText(i.message)}`);
  }
  return lines.join('\n') + '\n';
}

export async function runClusterCommand(
  inputs: string[],
  opts: Record<string, unknown>,
  io: IO,
  argv: string[],
  openSource?: (req: SourceRequest) => ChainSource,
  readStdin?: () => Promise<string>,
): Promise<number> {
  const req = sourceRequest(opts);
  const column = typeof opts.column === 'string' ? opts.column : null;
  if (inputs.length === 1 && inputs[0] === '-') {
    if (!readStdin) throw new InputError('addresses from stdin ("-") are not available here');
    const note = (m: string) => io.stderr(`btctrace: ${m}\n`);
    inputs = readSeedList(await readStdin(), {
      source: 'standard input',
      column,
      network: req.network,
      note,
    }).map((l) => l.input);
    if (inputs.length === 0) throw new InputError('no addresses on standard input');
  } else if (column !== null)
    throw new InputError(`--column ${column}: applies to a list read from stdin ("-")`);
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
  const book = commandBook(opts, req.network);
  const veto = parseVetoThreshold(optString(opts, 'coinjoinVeto', DEFAULT_VETO));
  const startedAt = io.now();
  const handle = await openSourceHandle(req, io, openSource);
  try {
    const source = handle.source;
    // GraphSense answers with its own whole-chain entities (src/cluster/backend.ts), and its tags
    // label the members after --tags and the label store.
    const result = handle.attribution
      ? await backendCluster(handle.attribution, seeds, limits.maxAddresses, veto)
      : await expandCluster(source, seeds, limits, { veto });
    const memberBook = handle.attribution
      ? combineBooks([
          book,
          (await import('../sources/graphsense/attribution.js')).labelBook(
            await handle.attribution.labels(result.members.map((m) => m.address)),
          ),
        ])
      : book;
    const labels = memberLabels(result, memberBook, opts.inheritLabels === true);
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
    const recording = recordingOf(req);
    if (recording) meta.recording = recording;
    const text =
      format === 'csv'
        ? clusterCsv(result, labels)
        : format === 'json'
          ? clusterJson(result, labels, meta)
          : clusterTable(
              result,
              labels,
              output === null && io.stdoutIsTTY && !io.env.NO_COLOR,
              opts.wide === true ? null : terminalWidth(io),
            ) + (handle.attribution ? `Clusters are GraphSense's: ${BACKEND_CLUSTER_CONVENTIONS}.\n` : '');
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
