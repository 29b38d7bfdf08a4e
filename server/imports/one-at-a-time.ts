/**
 * Reading an upload is memory and CPU heavy (a 10 MB file, decoded, parsed); two at once on a small
 * server starve the floor's presses. Uploads take turns instead: a second one waits for the first,
 * and the request deadline still bounds how long it may wait.
 */
let last: Promise<unknown> = Promise.resolve();

export function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const turn = last.then(work, work);
  last = turn.catch(() => {});
  return turn;
}
