// Registration of the attribution commands: `exposure` (trace options, both directions) and
// `requests` (records-request sheets from a saved trace JSON).
import { redactArgv } from '../parse.js';
import type { Command } from 'commander';
import type { IO } from '../io.js';
import { addTraceOptions, EXIT_CODES, examplesText } from '../command-options.js';

export function registerAttributionCommands(
  program: Command,
  io: IO,
  setCode: (code: number) => void,
  readStdin: () => Promise<string>,
): void {
  addTraceOptions(
    program
      .command('exposure')
      .addHelpText(
        'before',
        examplesText([
          'btctrace exposure bc1qgxa0vq022w24wgcw78zr2zvla445qujuhm6wq8 --offline fixtures/demo --tags fixtures/demo/tags.csv --hops 6',
          'btctrace exposure <address> --direction forward --format csv -o exposure.csv',
        ]),
      )
      .addHelpText('after', `\n${EXIT_CODES}`)
      .description(
        'how much of the seed funds reached (forward) or came from (backward) each labelled entity, category and abuse term; sanctioned first',
      )
      .argument('<seed...>', 'addresses, txids or txid:vout outpoints; "-": one per line from stdin')
      .option('--format <fmt>', 'table, csv or json (default: from the -o extension, else table)')
      .option('-o, --output <file>', 'write the result to a file instead of stdout ("-": stdout)')
      .option('--column <name>', 'with "-": read the seeds from this column of a CSV on stdin'),
    // both directions unless asked: exposure is "where it went" and "where it came from"
    'both',
  ).action(async (seeds: string[], opts: Record<string, unknown>) => {
    const { runExposureCommand } = await import('../exposure.js');
    setCode(
      await runExposureCommand(seeds, opts, io, redactArgv(process.argv.slice(2)), undefined, readStdin),
    );
  });

  program
    .command('requests')
    .addHelpText(
      'before',
      examplesText([
        'btctrace requests case.json --out-dir requests/   # case.json from: btctrace trace <seed> -o case.json',
        'btctrace requests case.json --out-dir requests/ -q',
      ]),
    )
    .addHelpText(
      'after',
      '\nThe trace JSON must be a forward trace written with -o (its manifest is checked first).\n' +
        'Exit 2 also for a trace file changed since its manifest, or one without a manifest; 1 also for a failed write.\n' +
        EXIT_CODES,
    )
    .description(
      'records-request sheets from a saved forward trace: one CSV and one Markdown file per service that received tainted funds, plus an index',
    )
    .argument('<trace.json>', 'a forward trace written with -o case.json (its manifest is verified)')
    .option('--out-dir <dir>', 'where the sheets go (required)')
    .option('-q, --quiet', 'no message on stderr')
    .action(async (file: string, opts: Record<string, unknown>) => {
      const { runRequestsCommand } = await import('../requests.js');
      setCode(await runRequestsCommand(file, opts, io));
    });
}
