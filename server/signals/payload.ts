import { MachineCounterMessage } from '../contract/machine-counter.ts';

/** Reads a counter payload: `{"count": 25, "scrap": 1, "at": "..."}`, or a bare number `25`. Null if neither. */
export function parseCounterPayload(payload: Buffer | string): MachineCounterMessage | null {
  const text = payload.toString().trim();
  if (text.length === 0 || text.length > 1024) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = MachineCounterMessage.safeParse(typeof value === 'number' ? { count: value } : value);
  return parsed.success ? parsed.data : null;
}

/**
 * The plant and machine a topic names, from the positions of the pattern's two `+` levels (the
 * first is the plant, the second the machine); null for a topic the pattern does not match.
 */
export function topicLevels(pattern: string, topic: string): { plantCode: string; machine: string } | null {
  const want = pattern.split('/');
  const got = topic.split('/');
  if (want.length !== got.length) return null;
  const wild: string[] = [];
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '+') wild.push(got[i]!);
    else if (want[i] !== got[i]) return null;
  }
  const [plantCode, machine] = wild;
  return plantCode && machine ? { plantCode, machine } : null;
}

/** A pattern the subscriber can read plant and machine from: exactly two `+` levels, no `#`. */
export function isCounterTopicPattern(pattern: string): boolean {
  const levels = pattern.split('/');
  return levels.filter((l) => l === '+').length === 2 && !levels.some((l) => l.includes('#') || (l.includes('+') && l !== '+'));
}
