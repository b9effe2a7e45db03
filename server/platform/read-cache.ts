/**
 * A read cache that is never stale (issue 6 §4): entries are stamped with the county's audit head
 * (`SessionUser.auditHead`: the newest chain entry's sequence number and hash, read with the session
 * at the start of the request) and used only by a request that read the same head. Every write to a
 * county's data is audited in its own transaction under the county's chain lock (platform/audit.ts),
 * so the head changes with every committed write, in commit order, in every process sharing the
 * database: a request that began after a write commits sees another head and reads the database
 * again. An entry may be newer than its stamp (a write committed between the session read and the
 * data read), never older. A chain restored from a backup has other hashes, so nothing kept before
 * the restore matches it.
 *
 * Only for reads whose answer depends on nothing but the county's audited data and what the key
 * names (the object, the reader's scope). Writes the platform does not audit change nothing such a
 * read shows: the start-up re-seal rewrites ciphertexts of the same values, and a restore brings a
 * chain with other hashes. Hand edits in the database are not seen until the next audited write in
 * the county or a restart. A write route that answers with a fresh read after its own commit must
 * not pass the request's head (it predates the write).
 *
 * `DANGJIAN_READ_CACHE=off` turns every such cache off (a site that edits its database by hand);
 * bench/throughput.ts measures the reads both ways.
 */
let enabled = process.env.DANGJIAN_READ_CACHE !== 'off';

/** Turn every read cache on or off (the environment decides at start; the throughput bench switches). */
export function setReadCaches(on: boolean): void {
  enabled = on;
}

export class ReadCache<V> {
  private readonly entries = new Map<string, { head: string; value: V }>();

  constructor(private readonly maxEntries: number) {}

  /** The value kept under `key` for exactly this head, or undefined. */
  get(key: string, head: string): V | undefined {
    if (!enabled) return undefined;
    const e = this.entries.get(key);
    if (!e || e.head !== head) return undefined;
    // Least recently used goes first: a hit moves to the end.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  /**
   * The value under `key` for `head`: the kept one, or `load()`'s, then kept. Without a head (a write
   * answering with what it just changed), `load()`'s, not kept.
   */
  async through(key: string, head: string | undefined, load: () => Promise<V>): Promise<V> {
    if (head === undefined) return load();
    const kept = this.get(key, head);
    if (kept !== undefined) return kept;
    const value = await load();
    this.set(key, head, value);
    return value;
  }

  /** Keep `value` under `key` for `head`, in place of what was kept before. */
  set(key: string, head: string, value: V): void {
    if (!enabled) return;
    this.entries.delete(key);
    this.entries.set(key, { head, value });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The key of an object as one reader sees it: their county and scope, and the object's id. */
export function scopedKey(reader: { countyCode: string; scopePath: string }, id: string): string {
  return `${reader.countyCode}|${reader.scopePath}|${id}`;
}
