/**
 * What the demo-data module offers other modules (issue 17 §1: a module's public face): the
 * deterministic random numbers and date arithmetic their demo parts use, so every part of the demo
 * county is reproducible from its county code.
 */
export { addDays } from './dates.ts';
export { Rng } from './prng.ts';
