import type { Context } from 'hono';
import type { Role } from '../contract/auth.ts';

/** Who acts, and in which plant: what every domain function needs from the request. */
export interface Actor {
  plantId: number;
  name: string;
  /** The caller's role, for rules that depend on it (a worker may cancel only its own fresh alert).
   *  Absent for the server's own actors (demo simulator, seed), which act with full rights. */
  role?: Role;
  /** The caller's token: a station's lead proof is bound to it. */
  tokenId?: number;
}

export function actorOf(c: Context): Actor {
  const principal = c.get('principal');
  return { plantId: c.get('plant').id, name: principal.name, role: principal.role, tokenId: principal.tokenId };
}
