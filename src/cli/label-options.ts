// --labels-db and --no-labels, and the book a command screens against: the store when it exists,
// plus the bundled OFAC snapshot on mainnet unless an imported OFAC list supersedes it (so a
// fresh install still flags sanctioned addresses, and says from which dated list).
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../model/errors.js';
import type { NetworkName } from '../model/address.js';
import { bundledOfacBook } from '../labels/books.js';
import { combineBooks } from '../labels/combine.js';
import { EMPTY_BOOK } from '../labels/memory-book.js';
import type { LabelBook } from '../labels/label.js';
import { labelsFile } from '../labels/paths.js';
import { LabelStore } from '../labels/store.js';

export function addLabelOptions(cmd: Command): Command {
  return cmd
    .option(
      '--labels-db <file>',
      'label store to screen against (default: $BTCTRACE_LABELS, else the platform data dir, e.g. ~/.local/share/btctrace/labels.sqlite)',
    )
    .option('--no-labels', 'do not read the label store or the bundled OFAC list');
}

/** The book for these options, or null with --no-labels. A named store that is absent is an error. */
export function openLabelBook(
  opts: Record<string, unknown>,
  network: NetworkName,
  env: Record<string, string | undefined> = process.env,
): LabelBook | null {
  if (opts.labels === false) return null;
  const { file, chosen } = labelsFile(typeof opts.labelsDb === 'string' ? opts.labelsDb : undefined, env);
  const exists = existsSync(file);
  if (!exists && chosen !== 'default') {
    const how = chosen === 'option' ? '--labels-db' : 'BTCTRACE_LABELS';
    throw new InputError(
      `${how} ${file}: no label store there (create it with: btctrace labels import <file> --labels-db ${file})`,
    );
  }
  const store = exists ? LabelStore.open(file, { create: false }) : null;
  const ofac = network === 'mainnet' && !store?.hasOfacList() ? bundledOfacBook() : null;
  const books = [store, ofac].filter((b): b is NonNullable<typeof b> => b !== null);
  return books.length ? combineBooks(books) : EMPTY_BOOK;
}
