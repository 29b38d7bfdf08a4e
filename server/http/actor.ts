import type { Context } from 'hono';

/** Who acts, and in which plant: what every domain function needs from the request. */
export interface Actor {
  plantId: number;
  name: string;
}

export function actorOf(c: Context): Actor {
  return { plantId: c.get('plant').id, name: c.get('principal').name };
}
