// FIFO (Clayton's Case; Anderson et al., "Bitcoin Redux"): the inputs' satoshis are laid end to end
// in vin order, each input keeping its own tainted ranges; outputs take consecutive satoshis in vout
// order and the fee is the last F satoshis. Taint is tracked as exact integer intervals, so it is
// lossless: backward maps each output's ranges of interest back to input offsets through the same
// layout. An input Taint with ranges null counts as tainted from its first satoshi.

import { satoshiStreamModel } from './satoshi-stream.js';

export const fifo = satoshiStreamModel(
  'fifo',
  'first in, first out by exact satoshi ranges: inputs end to end in vin order, outputs cut in vout order, the fee is the last F satoshis',
  false,
);
