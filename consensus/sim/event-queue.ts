/**
 * The simulator's agenda: a binary min-heap of events ordered by (virtual time, insertion number), so
 * two events at one instant run in the order they were scheduled — the tie-break that makes a run a
 * pure function of its seed.
 */
export interface QueuedEvent {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void | Promise<void>;
  cancelled: boolean;
}

export class EventQueue {
  readonly #heap: QueuedEvent[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  push(at: number, run: () => void | Promise<void>): QueuedEvent {
    const event: QueuedEvent = { at, seq: this.#seq++, run, cancelled: false };
    const heap = this.#heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as QueuedEvent;
      if (before(p, event)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = event;
    return event;
  }

  peek(): QueuedEvent | undefined {
    return this.#heap[0];
  }

  pop(): QueuedEvent | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(heap[r] as QueuedEvent, heap[l] as QueuedEvent) ? r : l;
      const c = heap[child] as QueuedEvent;
      if (before(last, c)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
