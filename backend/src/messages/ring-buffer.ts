/**
 * A fixed-capacity buffer that overwrites its oldest item: O(1) push with no array shifting, and
 * memory that never grows past `capacity` items. It grows as items arrive rather than reserving
 * `capacity` slots up front, because most buffers (a quiet channel, a direct conversation) never
 * fill up.
 */
export class RingBuffer<T> {
  private readonly items: T[] = [];
  /** Index of the oldest item; stays 0 until the buffer is full. */
  private start = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
  }

  get size(): number {
    return this.items.length;
  }

  /** Adds an item; returns the one it evicted, if the buffer was full. */
  push(item: T): T | undefined {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return undefined;
    }
    const evicted = this.items[this.start];
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    return evicted;
  }

  /** The item at a position (0 = oldest), or undefined outside 0..size-1. */
  at(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.items.length) return undefined;
    return this.items[(this.start + index) % this.capacity];
  }

  /** Replaces the item at a position (0 = oldest), which must exist. */
  set(index: number, item: T): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.items.length)
      throw new RangeError('no item at that position');
    this.items[(this.start + index) % this.capacity] = item;
  }

  /** The newest `count` items (all of them by default), oldest first. */
  newest(count = this.items.length): T[] {
    const length = Math.min(Math.max(count, 0), this.items.length);
    const result = new Array<T>(length);
    const first = this.items.length - length;
    for (let i = 0; i < length; i++) result[i] = this.items[(this.start + first + i) % this.capacity];
    return result;
  }
}
