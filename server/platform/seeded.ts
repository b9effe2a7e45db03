/**
 * Reproducible randomness: numbers drawn from a written-down seed, the same on any machine, so that a
 * draw (a spot check's sample, an unannounced check's time) can be redone by anyone holding the seed.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A fresh seed: 16 hex digits, short enough to write down on a notice. */
export function newSeed(): string {
  return randomBytes(8).toString('hex');
}

/** The n-th number of the stream named by `seed` and `stream`, uniform in [0, 1). */
export function uniform(seed: string, stream: string, n: number): number {
  const h = createHash('sha256').update(`${seed}\u0000${stream}\u0000${n}`).digest();
  // 48 bits: exact in a double.
  return h.readUIntBE(0, 6) / 2 ** 48;
}
