/**
 * Ids for floor presses, generated on the device so a retried press is counted once.
 * `crypto.randomUUID` exists only in secure contexts; stations on a plant LAN are often plain
 * http://192.168..., where `getRandomValues` still works, so build a v4 UUID from it there.
 */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  // Version 4 and the RFC 4122 variant; a Uint8Array of 16 has both bytes.
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
