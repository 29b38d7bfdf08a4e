import { Hono } from 'hono';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import { BoardBody, PlaylistBody } from '../contract/boards.ts';
import { Code } from '../contract/common.ts';
import type { Db } from '../db/connect.ts';
import { actorOf } from '../http/actor.ts';
import { jsonBody, parseWith } from '../http/validate.ts';
import * as boards from './service.ts';

/** TV boards and playlists: configured by planners, read by every role (a TV has a display token). */
export function boardRoutes({ db }: { db: Db }) {
  return new Hono()
    .get('/boards', allow(...ALL_ROLES), async (c) => c.json(await boards.listBoards(db, c.get('plant').id)))
    .get('/boards/:code', allow(...ALL_ROLES), async (c) => c.json(await boards.getBoard(db, c.get('plant').id, c.req.param('code'))))
    .put('/boards/:code', allow('planner'), async (c) => {
      const code = parseWith(Code, c.req.param('code'), 'code');
      const body = await jsonBody(c, BoardBody);
      return c.json(await db.transaction().execute((trx) => boards.putBoard(trx, actorOf(c), code, body)));
    })
    .get('/playlists', allow(...ALL_ROLES), async (c) => c.json(await boards.listPlaylists(db, c.get('plant').id)))
    .get('/playlists/:code', allow(...ALL_ROLES), async (c) => c.json(await boards.getPlaylist(db, c.get('plant').id, c.req.param('code'))))
    .put('/playlists/:code', allow('planner'), async (c) => {
      const code = parseWith(Code, c.req.param('code'), 'code');
      const body = await jsonBody(c, PlaylistBody);
      return c.json(await db.transaction().execute((trx) => boards.putPlaylist(trx, actorOf(c), code, body)));
    });
}
