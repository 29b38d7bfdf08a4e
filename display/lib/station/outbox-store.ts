import type { OutboxEntry } from './outbox-model.ts';

/**
 * IndexedDB storage of the outbox: presses survive a reload or a power cut while offline. One
 * object store keyed by the press id; every change is written before it is shown as done.
 */
const DB = 'takt-station';
const STORE = 'outbox';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('indexedDB open failed'));
  });
}

let db: Promise<IDBDatabase> | null = null;
const database = () => (db ??= open());

async function run<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const d = await database();
  return new Promise<T>((resolve, reject) => {
    const tx = d.transaction(STORE, mode);
    const request = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error ?? new Error('indexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('indexedDB transaction aborted'));
  });
}

export const outboxStore = {
  all: () => run<OutboxEntry[]>('readonly', (s) => s.getAll() as IDBRequest<OutboxEntry[]>),
  put: async (entry: OutboxEntry) => {
    await run('readwrite', (s) => s.put(plainCopy(entry)));
  },
  delete: async (id: string) => {
    await run('readwrite', (s) => s.delete(id));
  },
};

/** Entries may be reactive proxies; IndexedDB's structured clone needs plain objects. */
function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
