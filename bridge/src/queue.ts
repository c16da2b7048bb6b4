/**
 * One queue per reader: every card operation runs alone, so concurrent
 * requests never interleave APDUs (and each holds a PC/SC transaction).
 */
export class CardQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }
}

const queues = new WeakMap<object, Map<string, CardQueue>>();

/** The queue of `reader` on `transport`. */
export function queueFor(transport: object, reader: string): CardQueue {
  let m = queues.get(transport);
  if (!m) {
    m = new Map();
    queues.set(transport, m);
  }
  let q = m.get(reader);
  if (!q) {
    q = new CardQueue();
    m.set(reader, q);
  }
  return q;
}
