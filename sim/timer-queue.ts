/**
 * Many deadlines, one timer: a binary min-heap of (due, item) entries and a single setTimeout armed
 * for the earliest one. Used for command timeouts (10k in flight must stay cheap) and dock delays.
 */
interface Entry<T> {
  due: number;
  seq: number;
  item: T;
}

export class TimerQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private armedFor = Infinity;
  private closed = false;

  constructor(
    private readonly onDue: (item: T) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  /** Runs `onDue(item)` at (or just after) `due` (ms, same clock as `now`). */
  schedule(due: number, item: T): void {
    if (this.closed) return;
    this.push({ due, seq: this.seq++, item });
    if (due < this.armedFor) this.arm();
  }

  /** Drops every entry and the timer; the queue can be used again afterwards unless `close()`d. */
  clear(): void {
    this.heap.length = 0;
    this.disarm();
  }

  close(): void {
    this.closed = true;
    this.clear();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.armedFor = Infinity;
  }

  private arm(): void {
    this.disarm();
    if (this.heap.length === 0 || this.closed) return;
    const due = this.heap[0].due;
    this.armedFor = due;
    this.timer = setTimeout(() => this.fire(), Math.max(0, due - this.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.immediate = undefined;
    this.armedFor = Infinity;
    const now = this.now();
    // Run a bounded batch per tick so that a burst of due entries does not starve I/O.
    let budget = 2000;
    while (this.heap.length > 0 && this.heap[0].due <= now) {
      if (budget-- <= 0) {
        this.armedFor = now;
        this.immediate = setImmediate(() => this.fire());
        return;
      }
      const entry = this.pop()!;
      try {
        this.onDue(entry.item);
      } catch {
        // a failing callback must not stop the queue
      }
      if (this.closed) return;
    }
    if (!this.timer && !this.immediate) this.arm();
  }

  private less(a: Entry<T>, b: Entry<T>): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private push(entry: Entry<T>): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Entry<T> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
