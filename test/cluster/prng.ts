// The project's one seeded PRNG (src/engine/prng.ts), so random tests replay exactly.
export { mulberry32 } from '../support/prng.js';
