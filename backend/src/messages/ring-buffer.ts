/**
 * A fixed-capacity buffer that overwrites its oldest item: O(1) push with no array shifting, and
 * memory that never grows past `capacity` items.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  /** Index of the oldest item. */
  private start = 0;
  private length = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  /** Adds an item; returns the one it evicted, if the buffer was full. */
  push(item: T): T | undefined {
    if (this.length < this.capacity) {
      this.items[(this.start + this.length++) % this.capacity] = item;
      return undefined;
    }
    const evicted = this.items[this.start];
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    return evicted;
  }

  /** Position (0 = oldest) of the first item that matches, or -1. */
  findIndex(predicate: (item: T) => boolean): number {
    for (let i = 0; i < this.length; i++) {
      if (predicate(this.items[(this.start + i) % this.capacity] as T)) return i;
    }
    return -1;
  }

  /** The item at a position (0 = oldest). */
  at(index: number): T | undefined {
    return index >= 0 && index < this.length ? this.items[(this.start + index) % this.capacity] : undefined;
  }

  /** Replaces the item at a position (0 = oldest), which must exist. */
  set(index: number, item: T): void {
    if (index < 0 || index >= this.length) throw new RangeError('no item at that position');
    this.items[(this.start + index) % this.capacity] = item;
  }

  /** Oldest first. */
  toArray(): T[] {
    const result = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) result[i] = this.items[(this.start + i) % this.capacity] as T;
    return result;
  }
}
