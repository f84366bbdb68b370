// The shared shape of the five taint models (src/trace/models/*). A model is a pure function
// over one transaction: given what is known about its inputs it says what its outputs carry
// (forward), or given the amounts of interest on its outputs it says where they came from
// (backward). The walk (src/trace/walk.ts) applies it in topological order.

export type ModelName = 'poison' | 'haircut' | 'fifo' | 'lifo' | 'tiho';
export const MODEL_NAMES: readonly ModelName[] = ['poison', 'haircut', 'fifo', 'lifo', 'tiho'];

/**
 * The tainted part of one output (forward), or the amount of interest in one output (backward).
 * `amount` is integer satoshis for poison, fifo, lifo and tiho; for haircut it is an exact
 * float that is rounded only when printed (DESIGN.md).
 * `ranges` (order-based models only) lists the tainted satoshis inside the output as
 * flattened half-open offset pairs [s0, e0, s1, e1, ...], sorted, non-overlapping, non-adjacent,
 * with offsets in 0..value; the sum of their lengths equals `amount`. Null for poison and haircut.
 */
export interface Taint {
  amount: number;
  ranges: number[] | null;
}

/** The values of one transaction's inputs and outputs, in vin and vout order (satoshis). */
export interface TxValues {
  inputs: readonly number[];
  outputs: readonly number[];
}

export interface ForwardResult {
  /** One entry per output, in vout order; clean outputs have amount 0 (and ranges [] or null). */
  outputs: Taint[];
  /** Taint that went into the fee (dropped from the walk, but counted so totals balance). */
  fee: number;
}

export interface BackwardResult {
  /** One entry per input, in vin order: the part of the outputs' interest each input supplied. */
  inputs: Taint[];
}

export interface TaintModel {
  readonly name: ModelName;
  /** One line for the run manifest: how fees, ties and rounding are handled. */
  readonly conventions: string;
  /**
   * Forward: `inputs[i]` is input i's taint, or null when it is clean (not in the trace).
   * An input Taint whose ranges are null under an order-based model counts as tainted from its
   * first satoshi: ranges [0, amount).
   */
  forward(tx: TxValues, inputs: readonly (Taint | null)[]): ForwardResult;
  /** Backward: `outputs[j]` is the interest in output j, or null when there is none. */
  backward(tx: TxValues, outputs: readonly (Taint | null)[]): BackwardResult;
}

/** A fully tainted output of `value` satoshis (a seed). */
export function fullTaint(value: number): Taint {
  return { amount: value, ranges: value > 0 ? [0, value] : [] };
}
