// The five taint models by name (DESIGN.md "Taint models"); the walk and the CLI pick one here.

import { InputError } from '../../model/errors.js';
import { MODEL_NAMES, type ModelName, type TaintModel } from '../taint.js';
import { fifo } from './fifo.js';
import { haircut } from './haircut.js';
import { lifo } from './lifo.js';
import { poison } from './poison.js';
import { tiho } from './tiho.js';

export const MODELS: Record<ModelName, TaintModel> = { poison, haircut, fifo, lifo, tiho };

/** The model called `name`; an unknown name is bad user input (it comes from --model). */
export function getModel(name: string): TaintModel {
  if (Object.hasOwn(MODELS, name)) return MODELS[name as ModelName];
  throw new InputError(`unknown taint model "${name}": use one of ${MODEL_NAMES.join(', ')}`);
}
