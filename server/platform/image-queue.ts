/**
 * Image work (decode, re-encode, thumbnail: sharp) one job at a time, with a bounded wait list
 * (SEC-21, SEC-31, issue 15). Each decode may hold up to the decode budget of the caller (see
 * `IMAGE_DECODE_LIMITS` in meetings/evidence.ts) and sharp runs outside the event loop, so
 * without a queue N uploads at once cost N budgets; one at a time, the cost is one budget, and a
 * queue too long refuses new work instead of piling up waiting requests.
 *
 * sharp is set up for this when the module loads (at start-up, by anything that imports image work):
 * no libvips operation cache (it keeps decoded images and open files of past uploads, up to 50 MB,
 * for work that never repeats here) and one libvips thread per image (sharp's own default on glibc,
 * whose allocator keeps what many threads freed; the machine has two cores shared with the database).
 */
import sharp from 'sharp';
import { AppError } from './errors.ts';

/** How much image work runs at once and how much may wait, per process. */
export const IMAGE_QUEUE_LIMITS = {
  /** One: a decode's memory is bounded per job, so the process's is bounded by this many jobs. */
  running: 1,
  /** A 12-megapixel phone photo takes about a second here: ten waiting is a wait of seconds, well inside the request time limit. */
  waiting: 10,
} as const;

sharp.cache(false);
sharp.concurrency(1);

/** A FIFO of async jobs, `running` at a time; a job offered while `waiting` others wait is refused with IMAGE_QUEUE_FULL. */
export class ImageQueue {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly running: number,
    private readonly waiting: number,
  ) {}

  /** Jobs running and waiting now. */
  get size(): { running: number; waiting: number } {
    return { running: this.active, waiting: this.queue.length };
  }

  /** Run `job` when its turn comes; its result or error is passed on. Refuses at once when the wait list is full. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.active >= this.running) {
      if (this.queue.length >= this.waiting) throw new AppError('IMAGE_QUEUE_FULL');
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await job();
    } finally {
      // The slot passes straight to the next job (the count stays), or is freed.
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** The process's image queue: every decode of an uploaded picture goes through it. */
export const imageQueue = new ImageQueue(IMAGE_QUEUE_LIMITS.running, IMAGE_QUEUE_LIMITS.waiting);
