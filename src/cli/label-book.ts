// The label book a command reads: the --tags CSV (the analyst's own claims, first) combined with
// the local label store. Read once per command, before any explorer request.
import { combineBooks } from '../labels/combine.js';
import type { LabelBook } from '../labels/label.js';
import { EMPTY_BOOK, loadLabelCsv } from '../labels/memory-book.js';
import type { NetworkName } from '../model/address.js';
import { openLabelBook } from './label-options.js';

/** `tags`: the --tags book when the caller already read it (batch hashes the file's text). */
export function commandBook(
  opts: Record<string, unknown>,
  network: NetworkName,
  tags?: LabelBook,
  /** The store's book when the caller already opened it (batch reads its lists too). */
  store: LabelBook | null = openLabelBook(opts, network),
): LabelBook {
  const books: LabelBook[] = [];
  if (tags) books.push(tags);
  else if (typeof opts.tags === 'string') books.push(loadLabelCsv(opts.tags, network));
  if (store) books.push(store);
  if (books.length === 0) return EMPTY_BOOK;
  return combineBooks(books);
}
