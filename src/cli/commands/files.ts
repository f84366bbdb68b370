// Registration of the commands that work on local files rather than the chain: `cache` (the
// persistent answer cache), `report` (the flow graph of a saved trace) and `verify` (a manifest's
// sha256 sums).
import type { Command } from 'commander';
import type { IO } from '../io.js';
import { EXIT_CODES, examplesText } from '../command-options.js';

export function registerFileCommands(program: Command, io: IO, setCode: (code: number) => void): void {
  const cache = program
    .command('cache')
    .addHelpText(
      'before',
      examplesText(['btctrace cache stats', 'btctrace cache clear --cache-dir /tmp/btctrace-cache']),
    )
    .addHelpText('after', `\n${EXIT_CODES}`)
    .description('the persistent cache of explorer answers');
  for (const action of ['stats', 'clear'] as const) {
    cache
      .command(action)
      .addHelpText(
        'before',
        examplesText([
          `btctrace cache ${action}`,
          `btctrace cache ${action} --cache-dir /tmp/btctrace-cache`,
        ]),
      )
      .addHelpText('after', `\n${EXIT_CODES}`)
      .description(
        action === 'stats'
          ? 'where the cache is, its size and entries by kind'
          : 'remove every cached answer',
      )
      .option('--cache-dir <dir>', 'cache location (default: the platform cache dir)')
      .action(async (opts: Record<string, unknown>) => {
        const { runCacheCommand } = await import('../cache.js');
        setCode(await runCacheCommand(action, opts, io));
      });
  }

  program
    .command('report')
    .addHelpText(
      'before',
      examplesText([
        'btctrace report case.json -o case.html',
        'btctrace report case.json -o case.dot   # or .graphml: format from the extension',
        'btctrace report case.json --node-budget 1000 --format html -o big.html',
      ]),
    )
    .addHelpText('after', `\n${EXIT_CODES}`)
    .description('the flow graph of a trace JSON: a self-contained HTML case report, or DOT / GraphML')
    .argument('<trace.json>', 'a trace written with --format json')
    .option('-o, --output <file>', 'write to a file (.html, .dot or .graphml picks the format)')
    .option('--format <fmt>', 'html, dot or graphml (default: from -o, else html)')
    .option('--node-budget <n>', 'above this many nodes, group by hop and class', '300')
    .option('-q, --quiet', 'no message on stderr')
    .action(async (file: string, opts: Record<string, unknown>) => {
      const { runReportCommand } = await import('../report.js');
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
      const { runVerifyCommand } = await import('../verify.js');
      setCode(await runVerifyCommand(manifest, io));
    });
}
