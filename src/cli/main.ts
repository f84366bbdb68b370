// The btctrace program: commander parses, each command module turns options into a typed
// request and runs it with injected IO. Command modules are imported lazily so that
// `btctrace --version` and `--help` load almost nothing.
import { Command, CommanderError } from 'commander';
import { InputError, WriteError } from '../model/errors.js';
import { SourceError } from '../sources/errors.js';
import { SeedsFailedError } from '../trace/errors.js';
import { toolVersion } from '../version.js';
import { processIO, type IO } from './io.js';
import { redactArgv } from './parse.js';
import { safeJson, safeLines } from '../output/escape.js';
import {
  addFiatOptions,
  addSourceOptions,
  addTraceOptions,
  COINJOIN_VETO_HELP,
  EXAMPLES,
  EXIT_CODES,
  examplesText,
  INHERIT_HELP,
  TAGS_HELP,
} from './command-options.js';
import { registerAttributionCommands } from './commands/attribution.js';
import { registerFileCommands } from './commands/files.js';
import { registerLabelsCommand } from './labels-command.js';

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
      .option('--column <name>', 'with "-": read the seeds from this column of a CSV on stdin')
      .option('--wide', 'table: full txids and addresses (to copy them), however wide the table gets')
      .option('--excel', 'CSV: start with a UTF-8 byte-order mark, so Excel shows non-ASCII labels right'),
  ).action(async (seeds: string[], opts: Record<string, unknown>) => {
    const { runTraceCommand } = await import('./trace.js');
    setCode(await runTraceCommand(seeds, opts, io, redactArgv(process.argv.slice(2)), undefined, readStdin));
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
      .addHelpText(
        'after',
        `\nCtrl-C once: the running seeds finish and are written, the rest are marked "interrupted" in summary.csv, exit 130 (the same command finishes them); twice: quit at once.\n${EXIT_CODES}`,
      )
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
    // One listener for both Ctrl-Cs: with once() the count drops to zero between them, Node
    // restores the default action, and a quick second Ctrl-C kills the process without exit 130.
    const onInt = () => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort();
      io.stderr(
        '\nbatch: interrupted: the running seeds finish and are written, no new one starts, then the summary (Ctrl-C again to quit at once, exit 130)\n',
      );
    };
    process.on('SIGINT', onInt);
    try {
      setCode(
        await runBatchCommand(
          file,
          opts,
          io,
          redactArgv(process.argv.slice(2)),
          readStdin,
          controller.signal,
        ),
      );
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
          'btctrace address <address> -o address.csv   # CSV from the extension, manifest beside it',
        ]),
      )
      .addHelpText('after', `\n${EXIT_CODES}`)
      .description('balance, totals, first and last seen, transaction count of one address')
      .argument('<address>')
      .option('--format <fmt>', 'table, csv, json or jsonl (default: from the -o extension, else table)')
      .option('-o, --output <file>', 'write the result to a file, with a manifest beside it ("-": stdout)')
      .option('--tags <file>', TAGS_HELP)
      .option('--max-address-txs <n>', 'read at most this many transactions of its history', '1000'),
  ).action(async (address: string, opts: Record<string, unknown>) => {
    const { runAddressCommand } = await import('./address.js');
    setCode(await runAddressCommand(address, opts, io, undefined, redactArgv(process.argv.slice(2))));
  });

  addSourceOptions(
    program
      .command('cluster')
      .addHelpText(
        'before',
        examplesText([
          'btctrace cluster bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8 --offline fixtures/demo',
          'btctrace cluster <address> --tags tags.csv -o wallet.csv   # format from .csv',
          'btctrace cluster - --column address < leads.csv',
        ]),
      )
      .addHelpText('after', `\n${EXIT_CODES}`)
      .description(
        'the addresses one wallet controls: common-input clustering through the explorer (CoinJoins excluded)',
      )
      .argument('<address...>', 'addresses; "-": one per line from stdin (or a CSV column with --column)')
      .option(
        '--max-addresses <n>',
        'stop adding members after this many (the cluster is then reported incomplete)',
        '500',
      )
      .option('--max-txs <n>', 'read at most this many transactions in all', '5000')
      .option('--max-address-txs <n>', 'read at most this many transactions of one address history', '1000')
      .option('--tags <file>', TAGS_HELP)
      .option('--inherit-labels', INHERIT_HELP.replace('with --cluster: ', ''))
      .option('--coinjoin-veto <confidence>', COINJOIN_VETO_HELP, 'likely')
      .option('--format <fmt>', 'table, csv or json (default: from the -o extension, else table)')
      .option('-o, --output <file>', 'write the result to a file instead of stdout ("-": stdout)')
      .option('--column <name>', 'with "-": read the addresses from this column of a CSV on stdin')
      .option('--wide', 'table: full txids (to copy them), however wide the table gets'),
  ).action(async (addresses: string[], opts: Record<string, unknown>) => {
    const { runClusterCommand } = await import('./cluster.js');
    setCode(
      await runClusterCommand(addresses, opts, io, redactArgv(process.argv.slice(2)), undefined, readStdin),
    );
  });

  addSourceOptions(
    addFiatOptions(program.command('tx'))
      .addHelpText(
        'before',
        examplesText([
          'btctrace tx e3eb40a49ec96ddda3fc8b668b824a1a7d11b4f70426f52cf9ab7626bf56e096 --offline fixtures/demo',
          'btctrace tx <txid> -o tx.csv --tags tags.csv   # one row per input and output, manifest beside it',
        ]),
      )
      .addHelpText('after', `\n${EXIT_CODES}`)
      .description('one transaction: inputs, outputs, fee and fee rate, CoinJoin / peel / change findings')
      .argument('<txid>')
      .option('--format <fmt>', 'table, csv, json or jsonl (default: from the -o extension, else table)')
      .option('-o, --output <file>', 'write the result to a file, with a manifest beside it ("-": stdout)')
      .option('--wide', 'table: full txids and addresses (to copy them), however wide the table gets')
      .option('--tags <file>', TAGS_HELP)
      .option(
        '--change-heuristics <names>',
        'which change heuristics to run (default: all but fresh-address)',
      ),
  ).action(async (txid: string, opts: Record<string, unknown>) => {
    const { runTxCommand } = await import('./tx.js');
    setCode(await runTxCommand(txid, opts, io, undefined, redactArgv(process.argv.slice(2))));
  });

  registerFileCommands(program, io, setCode);
  registerAttributionCommands(program, io, setCode, readStdin);

  registerLabelsCommand(program, io, setCode);
  return program;
}

/** Runs the CLI; returns the exit code. Never throws for user errors. */
export async function main(argv: string[], given: IO = processIO()): Promise<number> {
  const io = safeOutput(given);
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    return exitCodeFor(e, io);
  }
}

/**
 * Every message btctrace writes to stderr (errors, warnings, notes) may quote an explorer's
 * answer or a local file: control characters are escaped here, once for all of them, keeping
 * newlines, tabs and the line-clearing prefix of the progress line ("\r\x1b[2K"), which is ours.
 * Stdout keeps the table colours btctrace writes (tables escape their cells, src/output/escape.ts),
 * and loses only what btctrace never writes there: DEL, C1 controls, bidi overrides.
 */
export function safeOutput(io: IO): IO {
  const CLEAR = '\r\u001b[2K';
  return {
    ...io,
    stdout: (t) => io.stdout(safeJson(t)),
    stderr: (t) => {
      let text = t;
      let prefix = '';
      if (text.startsWith(CLEAR)) {
        prefix = CLEAR;
        text = text.slice(CLEAR.length);
      }
      io.stderr(prefix + safeLines(text));
    },
  };
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
