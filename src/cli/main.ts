// The btctrace program: commander parses, each command module turns options into a typed
// request and runs it with injected IO. Command modules are imported lazily so that
// `btctrace --version` and `--help` load almost nothing.
import { Command, CommanderError, Option } from 'commander';
import { InputError, WriteError } from '../model/errors.js';
import { SourceError } from '../sources/errors.js';
import { SeedsFailedError } from '../trace/errors.js';
import { toolVersion } from '../version.js';
import { processIO, type IO } from './io.js';

const COINJOIN_VETO_HELP =
  'weakest CoinJoin finding that stops common-input links: definite, likely or possible';

const EXAMPLES = `
Examples:
  $ btctrace trace bc1qq2euq8pw950klpjcawuy4uj39ym43hs6cfsegq --hops 2
  $ btctrace trace 1ShopAddr... --direction backward --model fifo --format csv -o sources.csv
  $ btctrace trace <txid>:1 --tags tags.csv --stop-at exchange,mixing_service
  $ btctrace trace <address> --offline fixtures/demo          # no network: a recorded case
  $ btctrace tx <txid>
  $ btctrace address <address>

Exit codes: 0 ok, 1 network/explorer failure or partial result (still written), 2 bad input,
130 interrupted (Ctrl-C).
`;

const EXIT_CODES =
  'Exit codes: 0 ok; 1 network/explorer failure or partial result (still written, marked PARTIAL); ' +
  '2 bad input; 130 interrupted (Ctrl-C).';

/** A subcommand's --help starts with these (then usage and options, then EXIT_CODES). */
function examplesText(examples: string[]): string {
  return `Examples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`;
}

/** Options every command that reads chain data accepts. */
function addSourceOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--network <name>', 'mainnet, testnet or signet').default('mainnet'))
    .addOption(
      new Option(
        '--provider <name>',
        'named public explorer: mempool or blockstream; or graphsense (with --api-url, key from GRAPHSENSE_API_KEY)',
      ).default('mempool'),
    )
    .option(
      '--api-url <url>',
      'Esplora base URL, e.g. https://mempool.space/api or your own instance; GraphSense API root with --provider graphsense',
    )
    .option('--offline <dir>', 'answer only from a recording made with --record (no network)')
    .option('--record <dir>', 'save every explorer answer used into <dir> (replay with --offline)')
    .option('--concurrency <n>', 'requests in flight at once (default: 4 for public hosts, 8 otherwise)')
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
function addFiatOptions(cmd: Command): Command {
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
function addTraceOptions(cmd: Command): Command {
  return addSourceOptions(
    cmd
      .option('--direction <dir>', 'forward (where it went) or backward (where it came from)', 'forward')
      .option('--hops <n>', 'transaction hops to follow', '3')
      .option('--model <name>', 'taint model: poison, haircut, fifo, lifo or tiho', 'haircut')
      .option('--min-sat <n>', 'do not follow outputs carrying less taint than this (satoshis)', '1000')
      .option('--max-txs <n>', 'stop following new transactions after this many', '2000')
      .option(
        '--max-address-txs <n>',
        'read at most this many transactions of a seed address history',
        '1000',
      )
      .option('--tags <file>', 'labels: CSV with columns address,label,category')
      .option(
        '--stop-at <categories>',
        'stop at labelled addresses of these categories; replaces the default list (exchange), so give every category to stop at ("coinjoin": at CoinJoins; "none": follow everything). Names are checked against the label taxonomy and the categories in --tags',
        'exchange',
      )
      .option(
        '--cluster',
        'add a cluster column: common-input links among the transactions read (CoinJoins excluded)',
      )
      .option('--coinjoin-veto <confidence>', COINJOIN_VETO_HELP, 'likely')
      .option(
        '--change-heuristics <names>',
        'flag likely change outputs: address-reuse, address-type, optimal-change, round-number, fresh-address, locktime, peel-chain',
      ),
  );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function buildProgram(io: IO, setCode: (code: number) => void): Command {
  const program = new Command('btctrace')
    .description('Trace Bitcoin flows for investigations: where the money went, where it came from.')
    .version(toolVersion(), '-V, --version')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  addTraceOptions(
    addFiatOptions(program.command('trace'))
      .addHelpText(
        'before',
        examplesText([
          'btctrace trace bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8 --offline fixtures/demo --tags fixtures/demo/tags.csv --hops 6',
          'btctrace trace <address> --direction backward --model fifo -o sources.csv   # format from .csv',
          'btctrace trace <txid>:1 --tags tags.csv --stop-at exchange,mixing_service -o case.json',
        ]),
      )
      .addHelpText('after', `\n${EXIT_CODES}`)
      .description('follow the flow of funds from seed addresses, txids or txid:vout outpoints')
      .argument('<seed...>', 'addresses, txids or txid:vout outpoints; "-": one per line from stdin')
      .option(
        '--format <fmt>',
        'table, csv, json, jsonl, or the flow graph: html, dot, graphml (default: from the -o extension, else table)',
      )
      .option('-o, --output <file>', 'write the result to a file instead of stdout ("-": stdout)')
      .option('--wide', 'table: full txids and addresses (to copy them), however wide the table gets')
      .option('--excel', 'CSV: start with a UTF-8 byte-order mark, so Excel shows non-ASCII labels right'),
  ).action(async (seeds: string[], opts: Record<string, unknown>) => {
    const { runTraceCommand } = await import('./trace.js');
    setCode(await runTraceCommand(seeds, opts, io, process.argv.slice(2), undefined, readStdin));
  });

  addTraceOptions(
    program
      .command('batch')
      .addHelpText(
        'before',
        examplesText([
          'btctrace batch leads.txt --out-dir case1/',
          'btctrace batch leads.csv --column address --out-dir case1/ --format json',
          'cut -d, -f2 leads.csv | btctrace batch - --out-dir case1/',
        ]),
      )
      .addHelpText('after', `\n${EXIT_CODES}`)
      .description(
        'trace every address or txid of a list (a file, or - for stdin) into its own file, plus summary.csv',
      )
      .argument(
        '<file>',
        'one seed per line (# comments, blank lines ignored), a CSV with --column, or - for stdin',
      )
      .option('--out-dir <dir>', 'where the result files, their manifests and summary.csv go (required)')
      .option('--column <name>', 'read seeds from this column of a CSV file')
      .option('--parallel <n>', 'seeds traced at once (they share one explorer client and rate limit)', '4')
      .option('--force', 'trace again seeds already finished in --out-dir')
      .option('--format <fmt>', 'csv, json or table (one file per seed)', 'csv'),
  ).action(async (file: string, opts: Record<string, unknown>) => {
    const { runBatchCommand } = await import('./batch.js');
    const controller = new AbortController();
    const onInt = () => {
      io.stderr(
        '\nbatch: interrupted; keeping finished seeds and writing the summary (Ctrl-C again to quit at once)\n',
      );
      controller.abort();
      process.once('SIGINT', () => process.exit(130));
    };
    process.once('SIGINT', onInt);
    try {
      setCode(await runBatchCommand(file, opts, io, process.argv.slice(2), readStdin, controller.signal));
    } finally {
      process.removeListener('SIGINT', onInt);
    }
  });

  addSourceOptions(
    addFiatOptions(program.command('address'))
      .addHelpText(
        'before',
        examplesText([
          'btctrace address bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8 --offline fixtures/demo',
          'btctrace address <address> --format json',
        ]),
      )
      .addHelpText('after', `\n${EXIT_CODES}`)
      .description('balance, totals, first and last seen, transaction count of one address')
      .argument('<address>')
      .option('--format <fmt>', 'table or json', 'table')
      .option('--max-address-txs <n>', 'read at most this many transactions of its history', '1000'),
  ).action(async (address: string, opts: Record<string, unknown>) => {
    const { runAddressCommand } = await import('./address.js');
    setCode(await runAddressCommand(address, opts, io));
  });

  addSourceOptions(
    program
      .command('cluster')
      .addHelpText(
        'before',
        examplesText([
          'btctrace cluster bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8 --offline fixtures/demo',
          'btctrace cluster <address> --tags tags.csv -o wallet.csv   # format from .csv',
        ]),
      )
      .addHelpText('after', `\n${EXIT_CODES}`)
      .description(
        'the addresses one wallet controls: common-input clustering through the explorer (CoinJoins excluded)',
      )
      .argument('<address...>')
      .option(
        '--max-addresses <n>',
        'stop adding members after this many (the cluster is then reported incomplete)',
        '500',
      )
      .option('--max-txs <n>', 'read at most this many transactions in all', '5000')
      .option('--max-address-txs <n>', 'read at most this many transactions of one address history', '1000')
      .option('--tags <file>', 'labels: CSV with columns address,label,category')
      .option('--coinjoin-veto <confidence>', COINJOIN_VETO_HELP, 'likely')
      .option('--format <fmt>', 'table, csv or json (default: from the -o extension, else table)')
      .option('-o, --output <file>', 'write the result to a file instead of stdout ("-": stdout)'),
  ).action(async (addresses: string[], opts: Record<string, unknown>) => {
    const { runClusterCommand } = await import('./cluster.js');
    setCode(await runClusterCommand(addresses, opts, io, process.argv.slice(2)));
  });

  addSourceOptions(
    addFiatOptions(program.command('tx'))
      .addHelpText(
        'before',
        examplesText([
          'btctrace tx e3eb40a49ec96ddda3fc8b668b824a1a7d11b4f70426f52cf9ab7626bf56e096 --offline fixtures/demo',
          'btctrace tx <txid> --format json',
        ]),
      )
      .addHelpText('after', `\n${EXIT_CODES}`)
      .description('one transaction: inputs, outputs, fee and fee rate, CoinJoin / peel / change findings')
      .argument('<txid>')
      .option('--format <fmt>', 'table or json', 'table')
      .option('--tags <file>', 'labels: CSV with columns address,label,category')
      .option(
        '--change-heuristics <names>',
        'which change heuristics to run (default: all but fresh-address)',
      ),
  ).action(async (txid: string, opts: Record<string, unknown>) => {
    const { runTxCommand } = await import('./tx.js');
    setCode(await runTxCommand(txid, opts, io));
  });

  const cache = program.command('cache').description('the persistent cache of explorer answers');
  for (const action of ['stats', 'clear'] as const) {
    cache
      .command(action)
      .description(
        action === 'stats'
          ? 'where the cache is, its size and entries by kind'
          : 'remove every cached answer',
      )
      .option('--cache-dir <dir>', 'cache location (default: the platform cache dir)')
      .action(async (opts: Record<string, unknown>) => {
        const { runCacheCommand } = await import('./cache.js');
        setCode(await runCacheCommand(action, opts, io));
      });
  }

  program
    .command('report')
    .description('the flow graph of a trace JSON: a self-contained HTML case report, or DOT / GraphML')
    .argument('<trace.json>', 'a trace written with --format json')
    .option('-o, --output <file>', 'write to a file (.html, .dot or .graphml picks the format)')
    .option('--format <fmt>', 'html, dot or graphml (default: from -o, else html)')
    .option('--node-budget <n>', 'above this many nodes, group by hop and class', '300')
    .option('-q, --quiet', 'no message on stderr')
    .action(async (file: string, opts: Record<string, unknown>) => {
      const { runReportCommand } = await import('./report.js');
      setCode(await runReportCommand(file, opts, io));
    });

  program
    .command('verify')
    .addHelpText(
      'before',
      examplesText(['btctrace verify case.csv.manifest.json', 'btctrace verify case1/batch.manifest.json']),
    )
    .addHelpText('after', `\n${EXIT_CODES}`)
    .description('check that the files a manifest lists are unchanged (sha256)')
    .argument('<manifest>', 'a <file>.manifest.json written next to an output, or a batch.manifest.json')
    .action(async (manifest: string) => {
      const { runVerifyCommand } = await import('./verify.js');
      setCode(await runVerifyCommand(manifest, io));
    });

  return program;
}

/** Runs the CLI; returns the exit code. Never throws for user errors. */
export async function main(argv: string[], io: IO = processIO()): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    return exitCodeFor(e, io);
  }
}

export function exitCodeFor(e: unknown, io: IO): number {
  if (e instanceof CommanderError) {
    // help and version end through here too, with exit code 0; usage errors are bad input
    if (e.exitCode === 0) return 0;
    return 2;
  }
  if (e instanceof InputError) {
    io.stderr(`btctrace: ${e.message}\n`);
    return 2;
  }
  // Cache errors are matched by name: importing their class would load the SQLite driver here.
  const cacheError = e instanceof Error && /^Cache(Locked|Corrupt)?Error$/.test(e.name);
  if (e instanceof SourceError || e instanceof SeedsFailedError || e instanceof WriteError || cacheError) {
    io.stderr(`btctrace: ${e.message}\n`);
    return 1;
  }
  io.stderr(`btctrace: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 1;
}
