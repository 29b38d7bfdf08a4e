/**
 * Messages waiting per machine while one of its messages is being recorded. Counts are running
 * totals, so past this the oldest waiting one is dropped: the newer ones carry its parts.
 */
const MAX_WAITING_PER_MACHINE = 20;

/**
 * One queue per machine (topic): a machine's messages are recorded one at a time in arrival order,
 * so its deltas are taken in the order it counted, while a slow one (a lock wait) holds up only its
 * own machine. Each queue is bounded, and gone once it is drained.
 */
export class MachineQueues {
  readonly #queues = new Map<string, { waiting: Buffer[]; done: Promise<void> }>();
  readonly #run: (topic: string, payload: Buffer) => Promise<void>;
  readonly #dropped: (topic: string) => void;
  constructor(run: (topic: string, payload: Buffer) => Promise<void>, dropped: (topic: string) => void) {
    this.#run = run;
    this.#dropped = dropped;
  }
  push(topic: string, payload: Buffer): void {
    const queue = this.#queues.get(topic);
    if (queue) {
      queue.waiting.push(payload);
      if (queue.waiting.length > MAX_WAITING_PER_MACHINE) {
        queue.waiting.shift();
        this.#dropped(topic);
      }
      return;
    }
    const fresh = { waiting: [payload], done: Promise.resolve() };
    this.#queues.set(topic, fresh);
    fresh.done = this.#drain(topic, fresh.waiting);
  }
  async #drain(topic: string, waiting: Buffer[]): Promise<void> {
    for (let next = waiting.shift(); next !== undefined; next = waiting.shift()) await this.#run(topic, next);
    this.#queues.delete(topic);
  }
  /** Resolves once every queue that exists now, and any started meanwhile, is drained. */
  async idle(): Promise<void> {
    while (this.#queues.size > 0) await Promise.all([...this.#queues.values()].map((q) => q.done));
  }
}
