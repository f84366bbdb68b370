// LIFO, read as "lifo-stream" (DESIGN.md; the TaintedTX implementation): the whole fifo stream is
// reversed, so the last satoshi of the last input comes first and the ranges inside each input are
// reversed too. Outputs take from the reversed stream in vout order and the fee is what is left:
// the first F satoshis of the first input. An output's own offsets run in its stream order (offset 0
// is the first satoshi it took from the reversed stream), so the next hop reverses them again.
// Backward is the inverse mapping: output offsets -> reversed stream -> input offsets.

import { satoshiStreamModel } from './satoshi-stream.js';

export const lifo = satoshiStreamModel(
  'lifo',
  'lifo-stream: the fifo satoshi stream reversed (ranges inside inputs too), outputs cut in vout order, the fee is the first F satoshis of the first input; exact satoshi ranges',
  true,
);
