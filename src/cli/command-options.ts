// Options and help texts that several commands share: the chain-source options, --fiat, the
// trace options (trace, batch, exposure) and the examples / exit-code blocks of --help.
import { addLabelOptions } from './label-options.js';
import { Command, Option } from 'commander';

export const TAGS_HELP =
  'labels: CSV with columns address,label,category (optional: abuse,actor,confidence,source,is_cluster_definer)';

export const INHERIT_HELP =
  "with --cluster: show any member's label for the others (default: only cluster-defining labels)";

export const COINJOIN_VETO_HELP =
  'weakest CoinJoin finding that stops common-input links: definite, likely or possible';

export const EXAMPLES = `
Examples:
  $ btctrace trace bc1qq2euq8pw950klpjcawuy4uj39ym43hs6cfsegq --hops 2
  $ btctrace trace 1ShopAddr... --direction backward --model fifo --format csv -o sources.csv
  $ btctrace trace <txid>:1 --tags tags.csv --stop-at exchange,mixing_service
  $ btctrace trace <address> --offline fixtures/demo          # no network: a recorded case
  $ btctrace tx <txid>
  $ btctrace address <address>
  $ btctrace exposure <address> --tags tags.csv --hops 6      # exposure to labelled entities
  $ btctrace requests case.json --out-dir requests/          # records-request sheets

Exit codes: 0 ok, 1 network/explorer failure or partial result (still written), 2 bad input,
130 interrupted (Ctrl-C).
`;

export const EXIT_CODES =
  'Exit codes: 0 ok; 1 network/explorer failure or partial result (still written, marked PARTIAL); ' +
  '2 bad input; 130 interrupted (Ctrl-C).';

/** A subcommand's --help starts with these (then usage and options, then EXIT_CODES). */
export function examplesText(examples: string[]): string {
  return `Examples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`;
}

/** Options every command that reads chain data accepts. */
export function addSourceOptions(cmd: Command): Command {
  // every command that reads chain data screens against the label store (src/cli/label-options.ts)
  return addLabelOptions(cmd)
    .addOption(new Option('--network <name>', 'mainnet, testnet or signet').default('mainnet'))
    .addOption(
      new Option(
        '--provider <name>',
        'named public explorer (mempool or blockstream); graphsense (with --api-url, key from GRAPHSENSE_API_KEY); or bigquery (Google BigQuery crypto_bitcoin, Application Default Credentials)',
      ).default('mempool'),
    )
    .option('--bq-project <id>', 'with --provider bigquery: the Google Cloud project billed for the queries')
    .option(
      '--max-bytes-billed <bytes>',
      'with --provider bigquery: refuse any query whose dry run scans more (e.g. 500GB, 1TiB; default 100GB)',
    )
    .option(
      '--api-url <url>',
      'Esplora base URL, e.g. https://mempool.space/api or your own (GraphSense API root with --provider graphsense); user:pass@ and ?key= are sent, never stored',
    )
    .option('--offline <dir>', 'answer only from a recording made with --record (no network)')
    .option('--record <dir>', 'save every explorer answer used into <dir> (replay with --offline)')
    .option('--concurrency <n>', 'requests in flight at once (default: 4 for public hosts, 8 otherwise)')
    .option('--max-body <size>', 'largest explorer answer accepted, as sent and unzipped (default 32MiB)')
    .option('--rate <req/s>', 'requests per second (default: 4 for public hosts, unlimited otherwise)')
    .option(
      '--cache-dir <dir>',
      'persistent cache location (default: the platform cache dir, e.g. ~/.cache/btctrace)',
    )
    .option('--no-cache', 'do not read or write the persistent cache')
    .option(
      '--verify-txids',
      'check every transaction against its raw bytes (hash = txid, values, scripts, inputs)',
    )
    .option('-q, --quiet', 'no progress or warnings on stderr');
}

/** --fiat and its price sources (src/cli/fiat.ts): trace, tx and address. */
export function addFiatOptions(cmd: Command): Command {
  return cmd
    .option('--fiat <currency>', 'value each row in this currency at its block time (e.g. USD, EUR, KGS)')
    .option(
      '--prices <file>',
      'BTC prices for --fiat: CSV date,currency,price (UTC day; default: mempool.space price history)',
    )
    .option(
      '--fx <file>',
      'rates for --fiat: CSV date,from,to,rate (UTC day) into a currency the prices lack',
    );
}

/** The trace options, shared by `trace` and `batch`. */
export function addTraceOptions(cmd: Command, direction: 'forward' | 'both' = 'forward'): Command {
  const dirHelp =
    direction === 'both'
      ? 'both, forward (where it went) or backward (where it came from)'
      : 'forward (where it went) or backward (where it came from)';
  return addSourceOptions(
    cmd
      .option('--direction <dir>', dirHelp, direction)
      .option('--hops <n>', 'transaction hops to follow', '3')
      .option('--model <name>', 'taint model: poison, haircut, fifo, lifo or tiho', 'haircut')
      .option('--min-sat <n>', 'do not follow outputs carrying less taint than this (satoshis)', '1000')
      .option('--max-txs <n>', 'stop following new transactions after this many', '2000')
      .option(
        '--max-address-txs <n>',
        'read at most this many transactions of a seed address history',
        '1000',
      )
      .option('--tags <file>', TAGS_HELP)
      .option(
        '--stop-at <terms>',
        'stop at labelled addresses of these categories or abuse terms; replaces the default list (exchange), so give every term to stop at ("coinjoin": at CoinJoins; "none": follow everything). Names are checked against the label taxonomy and the words in the labels',
        'exchange',
      )
      .option(
        '--stop-at-label <names>',
        'also stop at addresses labelled with these entity names (comma-separated)',
      )
      .option(
        '--cluster',
        'add a cluster column: common-input links among the transactions read (CoinJoins excluded)',
      )
      .option('--inherit-labels', INHERIT_HELP)
      .option('--coinjoin-veto <confidence>', COINJOIN_VETO_HELP, 'likely')
      .option(
        '--change-heuristics <names>',
        'flag likely change outputs: address-reuse, address-type, optimal-change, round-number, fresh-address, locktime, peel-chain',
      ),
  );
}
