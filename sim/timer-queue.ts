/**
 * Many deadlines, one timer: core's MinHeap of due times, the items due at each time in the order
 * they were scheduled, and a single setTimeout armed for the earliest. Used for command timeouts
 * (10k in flight must stay cheap) and dock delays.
 */
import { MinHeap } from '../src/core/min-heap';

/** The items due at one time; `next` is the first one not yet run. */
interface Slot<T> {
  due: number;
  items: T[];
  next: number;
}

/** Due items run per tick before yielding, so that a burst of them does not starve I/O. */
const BATCH = 2000;

export class TimerQueue<T> {
  private readonly heap = new MinHeap<Slot<T>>((slot) => slot.due);
  private readonly slots = new Map<number, Slot<T>>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private armedFor = Infinity;
  private closed = false;

  constructor(
    private readonly onDue: (item: T) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `onDue(item)` at (or just after) `due` (ms, same clock as `now`). */
  schedule(due: number, item: T): void {
    if (this.closed) return;
    let slot = this.slots.get(due);
    if (!slot) {
      slot = { due, items: [], next: 0 };
      this.slots.set(due, slot);
      this.heap.push(slot);
    }
    slot.items.push(item);
    if (due < this.armedFor) this.arm();
  }

  /** Drops every entry and the timer; nothing can be scheduled afterwards. */
  close(): void {
    this.closed = true;
    this.heap.clear();
    this.slots.clear();
    this.disarm();
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
    const first = this.heap.peek();
    if (!first || this.closed) return;
    this.armedFor = first.due;
    this.timer = setTimeout(() => this.fire(), Math.max(0, first.due - this.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.immediate = undefined;
    this.armedFor = Infinity;
    const now = this.now();
    let budget = BATCH;
    for (let slot = this.heap.peek(); slot && slot.due <= now; slot = this.heap.peek()) {
      while (slot.next < slot.items.length) {
        if (budget-- <= 0) {
          this.armedFor = now;
          this.immediate = setImmediate(() => this.fire());
          return;
        }
        const item = slot.items[slot.next++] as T;
        try {
          this.onDue(item);
        } catch {
          // a failing callback must not stop the queue
        }
        if (this.closed) return;
      }
      // an item may have scheduled an earlier slot meanwhile: only a spent top slot is removed
      if (this.heap.peek() === slot) {
        this.heap.pop();
        this.slots.delete(slot.due);
      }
    }
    if (!this.timer && !this.immediate) this.arm();
  }
}
