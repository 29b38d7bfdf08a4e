import { Hono, type Context } from 'hono';
import { allow } from '../auth/middleware.ts';
import { ApiError } from '../contract/errors.ts';
import { ImportQuery, importKinds, importRoles, TemplateQuery } from '../contract/imports.ts';
import type { Db } from '../db/connect.ts';
import { actorOf } from '../http/actor.ts';
import { queryWith } from '../http/validate.ts';
import { readTable } from './read-table.ts';
import { runImport } from './service.ts';
import { template } from './templates.ts';

/** The file: a multipart field `file`, or the whole body (text/csv, the .xlsx type, octet-stream). */
async function uploadedBytes(c: Context): Promise<Uint8Array> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody();
    } catch {
      throw ApiError.invalid('file', 'the multipart body could not be read');
    }
    const file = form['file'];
    if (!(file instanceof File)) throw ApiError.invalid('file', 'file is required (multipart field file)');
    return new Uint8Array(await file.arrayBuffer());
  }
  if (type.startsWith('application/json') || type.startsWith('application/x-www-form-urlencoded')) {
    throw new ApiError(415, 'unsupported_media_type', 'send the file as multipart/form-data (field file), as text/csv or as application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  }
  return new Uint8Array(await c.req.arrayBuffer());
}

export function importRoutes({ db }: { db: Db }) {
  const app = new Hono();
  for (const kind of importKinds) {
    app.post(`/${kind}`, allow(...importRoles[kind]), async (c) => {
      const dryRun = queryWith(c, ImportQuery).dryRun !== 'false';
      const table = await readTable(await uploadedBytes(c));
      const report = await runImport(db, actorOf(c), c.get('plant').timeZone, kind, table, dryRun, new Date());
      if (!dryRun && !report.committed) {
        const count = report.errors.length + report.moreErrors;
        throw new ApiError(400, 'validation_failed', `${count} problem${count === 1 ? '' : 's'} in the file: nothing was imported`, null, report);
      }
      return c.json(report);
    });
    app.get(`/${kind}/template`, allow(...importRoles[kind]), async (c) => {
      const format = queryWith(c, TemplateQuery).format ?? 'csv';
      const plant = c.get('plant');
      const file = await template(db, plant.id, plant.timeZone, kind, format, new Date());
      return c.body(file.body.buffer as ArrayBuffer, 200, { 'content-type': file.type, 'content-disposition': `attachment; filename="${file.name}"` });
    });
  }
  return app;
}
