import * as z from 'zod/mini';
import { Code } from './common.ts';

/**
 * A TV board is configured data: which work centers (or whole lines) it shows, how it pages, whether
 * it chimes. A playlist rotates several boards on one TV. Both are reached by URL with a display
 * token, so a TV needs no login:
 *   /display/board/{code}?token=...     /display/playlist/{code}?token=...
 */
export const boardLayouts = ['tiles', 'kanban'] as const;
export type BoardLayout = (typeof boardLayouts)[number];

export const BoardBody = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  /** Lines shown in full; empty with no workCenters: the whole plant. */
  lines: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(50)), []),
  workCenters: z._default(z.array(Code).check(z.maxLength(200)), []),
  /** Seconds per page when the tiles do not fit on one screen. */
  pageSeconds: z._default(z.int().check(z.gte(5), z.lte(600)), 15),
  sound: z._default(z.boolean(), true),
  /**
   * How the board draws its work centers: `tiles` (state, current and next job per work center) or
   * `kanban` (a column per work center with its running and queued jobs in planned order).
   */
  layout: z._default(z.enum(boardLayouts), 'tiles'),
  /** zh-CN or en; absent: the TV browser's language. */
  locale: z.optional(z.enum(['zh-CN', 'en'])),
});
export type BoardBody = z.infer<typeof BoardBody>;
export const Board = z.object({ ...BoardBody.shape, code: z.string() });
export type Board = z.infer<typeof Board>;

export const PlaylistBody = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  boards: z.array(Code).check(z.minLength(1), z.maxLength(20)),
  /** Seconds each board stays on screen. */
  rotateSeconds: z._default(z.int().check(z.gte(5), z.lte(3600)), 30),
});
export type PlaylistBody = z.infer<typeof PlaylistBody>;
export const Playlist = z.object({ ...PlaylistBody.shape, code: z.string() });
export type Playlist = z.infer<typeof Playlist>;
