/** The image queue: one job at a time in order, a bounded wait list refused with IMAGE_QUEUE_FULL, a failed job frees its turn. */
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { ImageQueue } from './image-queue.ts';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

describe('ImageQueue', () => {
  it('runs one job at a time, in order, and refuses beyond the wait list', async () => {
    const q = new ImageQueue(1, 2);
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const gates = [gate(), gate(), gate()];
    const job = (name: string, g: { opened: Promise<void> }) => async () => {
      running++;
      most = Math.max(most, running);
      order.push(name);
      await g.opened;
      running--;
      return name;
    };
    const a = q.run(job('a', gates[0]));
    const b = q.run(job('b', gates[1]));
    const c = q.run(job('c', gates[2]));
    expect(q.size).toEqual({ running: 1, waiting: 2 });
    const refused = await q.run(async () => 'd').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('IMAGE_QUEUE_FULL');
    expect((refused as AppError).status).toBe(503);
    for (const g of gates) g.open();
    expect(await Promise.all([a, b, c])).toEqual(['a', 'b', 'c']);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);
    expect(q.size).toEqual({ running: 0, waiting: 0 });
  });

  it('a failing job passes its error on and the next one runs', async () => {
    const q = new ImageQueue(1, 1);
    const failed = q.run(async () => {
      throw new Error('broken picture');
    });
    const next = q.run(async () => 'next');
    await expect(failed).rejects.toThrow('broken picture');
    expect(await next).toBe('next');
    expect(q.size).toEqual({ running: 0, waiting: 0 });
  });
});
