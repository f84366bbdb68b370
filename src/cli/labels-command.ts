// `btctrace labels import|list|stats|remove|export`: the label store. Registered from main.ts;
// the work is in labels-import.ts and labels-view.ts, loaded only when a labels command runs.
import { Option, type Command } from 'commander';
import type { IO } from './io.js';

const DB_HELP =
  'label store file (default: $BTCTRACE_LABELS, else e.g. ~/.local/share/btctrace/labels.sqlite)';

const FILTERS: [string, string][] = [
  ['--address <address>', 'only labels of this address'],
  ['--label <text>', 'only labels containing this text (any case)'],
  ['--category <term>', 'only labels of this category or abuse term'],
  ['--source <list>', 'only labels of this imported list (see labels stats)'],
];

const EXIT = '\nExit codes: 0 ok; 2 bad input (a one-line message names the value).';
const IMPORT_EXIT =
  '\nExit codes: 0 ok (bad tags are skipped and counted); 1 a file found in a directory could not be read (the others are imported); 2 bad input.';

function examples(lines: string[]): string {
  return `Examples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function registerLabelsCommand(program: Command, io: IO, setCode: (code: number) => void): void {
  const labels = program
    .command('labels')
    .addHelpText(
      'before',
      examples([
        'btctrace labels import graphsense-tagpacks/',
        'btctrace labels stats',
        'btctrace labels list --address 1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s',
      ]),
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 ok; 1 a file could not be read; 2 bad input (each subcommand lists its own).',
    )
    .description('the label store: import TagPacks, CSV and OFAC lists; list, count, remove, export');

  labels
    .command('import')
    .addHelpText(
      'before',
      examples([
        'btctrace labels import graphsense-tagpacks/          # every pack and actor pack under it',
        'btctrace labels import my-labels.csv sdn_advanced.xml  # your own CSV, OFAC SDN advanced XML',
        'btctrace labels import hosts.txt --label "Hoster X" --category hosting',
      ]),
    )
    .addHelpText('after', IMPORT_EXIT)
    .description('import label files; a file imported again replaces its earlier labels')
    .argument(
      '<file-or-dir...>',
      'TagPack/actor pack YAML, CSV, OFAC sdn_advanced.xml, address list, or directories',
    )
    .option('--labels-db <file>', DB_HELP)
    .option('--list <name>', 'name the imported list (one file only; default: its file name)')
    .option('--label <name>', 'address lists: the label every address gets')
    .option('--category <term>', 'address lists: their category')
    .option('--abuse <term>', 'address lists: their abuse term')
    .option('--confidence <level>', 'address lists: a TagPack confidence name or 0-100')
    .option('--date <yyyy-mm-dd>', "the list's date when the file does not say (e.g. a plain OFAC list)")
    .option('-q, --quiet', 'no per-file lines')
    .action(async (paths: string[], opts: Record<string, unknown>) => {
      const { runLabelsImport } = await import('./labels-import.js');
      setCode(runLabelsImport(paths, opts, io));
    });

  const list = labels
    .command('list')
    .addHelpText(
      'before',
      examples([
        'btctrace labels list --address 1NDyJtNTjmwk5xPNhjgAMu4HDHigtobu1s',
        'btctrace labels list --category ransomware --format csv > ransomware.csv',
      ]),
    )
    .addHelpText('after', EXIT)
    .description('the labels in the store, by address')
    .option('--labels-db <file>', DB_HELP)
    .addOption(new Option('--format <fmt>', 'table, csv or json').default('table'));
  for (const [flag, help] of FILTERS) list.option(flag, help);
  list.action(async (opts: Record<string, unknown>) => {
    const { runLabelsList } = await import('./labels-view.js');
    setCode(runLabelsList(opts, io));
  });

  labels
    .command('stats')
    .addHelpText(
      'before',
      examples(['btctrace labels stats', 'btctrace labels stats --labels-db case1/labels.sqlite']),
    )
    .addHelpText('after', EXIT)
    .description('labels and addresses per imported list and per category / abuse term')
    .option('--labels-db <file>', DB_HELP)
    .action(async (opts: Record<string, unknown>) => {
      const { runLabelsStats } = await import('./labels-view.js');
      setCode(runLabelsStats(opts, io));
    });

  labels
    .command('remove')
    .addHelpText(
      'before',
      examples(['btctrace labels remove --source my-labels.csv', 'btctrace labels remove --source ofac-sdn']),
    )
    .addHelpText('after', EXIT)
    .description('remove one imported list and its labels')
    .requiredOption('--source <list>', 'the list name (see labels stats)')
    .option('--labels-db <file>', DB_HELP)
    .action(async (opts: Record<string, unknown>) => {
      const { runLabelsRemove } = await import('./labels-view.js');
      setCode(runLabelsRemove(opts, io));
    });

  const exp = labels
    .command('export')
    .addHelpText(
      'before',
      examples([
        'btctrace labels export --source my-labels.csv --format csv > for-agency-x.csv',
        'btctrace labels export --format tagpack --category exchange > exchanges.yaml',
      ]),
    )
    .addHelpText('after', EXIT)
    .description('write labels as CSV (imports again as is) or as a TagPack, to stdout')
    .option('--labels-db <file>', DB_HELP)
    .addOption(new Option('--format <fmt>', 'csv or tagpack').default('csv'));
  for (const [flag, help] of FILTERS) exp.option(flag, help);
  exp.action(async (opts: Record<string, unknown>) => {
    const { runLabelsExport } = await import('./labels-view.js');
    setCode(runLabelsExport(opts, io));
  });
}
