/**
 * Critical blocks: maximal runs of consecutive operations on a critical path that use the same
 * machine back to back. Only moves inside blocks can shorten the path (the basis of N5/N7), in the
 * job shop and in the factory search alike.
 */

/**
 * Splits `path[0..length)` into blocks; writes [from, to) index pairs into `out` and returns the
 * number of blocks. `sameMachineAdjacent(a, b)` says b directly follows a on a's machine.
 */
export function criticalBlocks(
  path: ArrayLike<number>,
  length: number,
  sameMachineAdjacent: (a: number, b: number) => boolean,
  out: Int32Array | number[],
): number {
  let count = 0;
  let from = 0;
  for (let i = 1; i <= length; i++) {
    if (i === length || !sameMachineAdjacent(path[i - 1]!, path[i]!)) {
      out[2 * count] = from;
      out[2 * count + 1] = i;
      count++;
      from = i;
    }
  }
  return count;
}
