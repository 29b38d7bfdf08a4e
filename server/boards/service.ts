import type { Board, BoardBody, Playlist, PlaylistBody } from '../contract/boards.ts';
import type { Queryable, Trx } from '../db/connect.ts';
import type { BoardTable, PlaylistTable } from '../db/schema.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { ApiError } from '../contract/errors.ts';

type BoardRow = Omit<BoardTable, 'plant_id' | 'updated_at'>;
type PlaylistRow = Omit<PlaylistTable, 'plant_id' | 'updated_at'>;

function boardView(row: BoardRow): Board {
  return {
    code: row.code,
    name: row.name,
    lines: row.lines,
    workCenters: row.work_centers,
    pageSeconds: row.page_seconds,
    sound: row.sound,
    layout: row.layout,
    ...(row.locale ? { locale: row.locale as Board['locale'] } : {}),
  };
}

function playlistView(row: PlaylistRow): Playlist {
  return { code: row.code, name: row.name, boards: row.boards, rotateSeconds: row.rotate_seconds };
}

const boardColumns = ['code', 'name', 'lines', 'work_centers', 'page_seconds', 'sound', 'layout', 'locale'] as const;
const playlistColumns = ['code', 'name', 'boards', 'rotate_seconds'] as const;

export async function listBoards(db: Queryable, plantId: number): Promise<Board[]> {
  return (await db.selectFrom('board').select(boardColumns).where('plant_id', '=', plantId).orderBy('code').execute()).map(boardView);
}

export async function getBoard(db: Queryable, plantId: number, code: string): Promise<Board> {
  const row = await db.selectFrom('board').select(boardColumns).where('plant_id', '=', plantId).where('code', '=', code).executeTakeFirst();
  if (!row) throw ApiError.notFound('board', code);
  return boardView(row);
}

/** A board names work centers and lines that must exist: a typo would show an empty TV. */
export async function putBoard(trx: Trx, actor: Actor, code: string, body: BoardBody): Promise<Board> {
  const centers = await trx.selectFrom('work_center').select(['code', 'line']).where('plant_id', '=', actor.plantId).execute();
  const codes = new Set(centers.map((w) => w.code));
  const lines = new Set(centers.map((w) => w.line));
  body.workCenters.forEach((wc, i) => {
    if (!codes.has(wc)) throw ApiError.invalid(`workCenters.${i}`, `work center '${wc}' does not exist`);
  });
  body.lines.forEach((line, i) => {
    if (!lines.has(line)) throw ApiError.invalid(`lines.${i}`, `no work center is on line '${line}'`);
  });
  const values = {
    name: body.name,
    lines: body.lines,
    work_centers: body.workCenters,
    page_seconds: body.pageSeconds,
    sound: body.sound,
    layout: body.layout,
    locale: body.locale ?? null,
    updated_at: new Date(),
  };
  await trx
    .insertInto('board')
    .values({ plant_id: actor.plantId, code, ...values })
    .onConflict((oc) => oc.columns(['plant_id', 'code']).doUpdateSet(values))
    .execute();
  await appendEvent(trx, { plantId: actor.plantId, type: 'board.put', actor: actor.name, subject: code, payload: body });
  return await getBoard(trx, actor.plantId, code);
}

export async function listPlaylists(db: Queryable, plantId: number): Promise<Playlist[]> {
  return (await db.selectFrom('playlist').select(playlistColumns).where('plant_id', '=', plantId).orderBy('code').execute()).map(playlistView);
}

export async function getPlaylist(db: Queryable, plantId: number, code: string): Promise<Playlist> {
  const row = await db.selectFrom('playlist').select(playlistColumns).where('plant_id', '=', plantId).where('code', '=', code).executeTakeFirst();
  if (!row) throw ApiError.notFound('playlist', code);
  return playlistView(row);
}

export async function putPlaylist(trx: Trx, actor: Actor, code: string, body: PlaylistBody): Promise<Playlist> {
  const boards = new Set((await trx.selectFrom('board').select('code').where('plant_id', '=', actor.plantId).execute()).map((b) => b.code));
  body.boards.forEach((b, i) => {
    if (!boards.has(b)) throw ApiError.invalid(`boards.${i}`, `board '${b}' does not exist`);
  });
  const values = { name: body.name, boards: body.boards, rotate_seconds: body.rotateSeconds, updated_at: new Date() };
  await trx
    .insertInto('playlist')
    .values({ plant_id: actor.plantId, code, ...values })
    .onConflict((oc) => oc.columns(['plant_id', 'code']).doUpdateSet(values))
    .execute();
  await appendEvent(trx, { plantId: actor.plantId, type: 'playlist.put', actor: actor.name, subject: code, payload: body });
  return await getPlaylist(trx, actor.plantId, code);
}
