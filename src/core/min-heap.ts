/** A small binary min-heap keyed by a number; used by the tracker's single scheduler. */
export class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly key: (item: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    const k = this.key(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.key(items[parent]!) <= k) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop() as T;
    if (items.length > 0) {
      let i = 0;
      const k = this.key(last);
      const n = items.length;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && this.key(items[right]!) < this.key(items[left]!) ? right : left;
        if (this.key(items[child]!) >= k) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }

  /**
   * The smallest item for which `live` holds, after dropping the smaller ones for which it does not
   * (lazy deletion: an item is marked stale where it is, instead of being searched for and removed).
   */
  peekLive(live: (item: T) => boolean): T | undefined {
    for (let top = this.items[0]; top !== undefined; top = this.items[0]) {
      if (live(top)) return top;
      this.pop();
    }
    return undefined;
  }

  clear(): void {
    this.items.length = 0;
  }
}
