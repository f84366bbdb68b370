// The local engine: a compact in-memory transaction graph (typed arrays, dense ids), a seeded
// generator of realistic graphs, forward taint propagation with the project's models, and
// common-input clustering. It shows that, once chain data is local, btctrace's own work is
// never what limits a trace (test/bench measures it on a million transactions).

export { checkGraph, graphBytes, inCount, outCount, txOfOutput, type TxGraph } from './graph.js';
export { generateGraph, type GenerateOptions } from './generate.js';
export {
  propagate,
  rangesOf,
  seedState,
  stateBytes,
  usesRanges,
  type PropagateOptions,
  type TaintState,
} from './propagate.js';
export { clusterInputs, type ClusterResult } from './cluster.js';
export { mulberry32 } from './prng.js';
