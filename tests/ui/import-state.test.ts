import { describe, expect, it } from 'vitest';
import { ApiError } from '../../server/contract/errors.ts';
import { importKindsFor, type ImportKind, type ImportReport } from '../../server/contract/imports.ts';
import type { UploadProgress } from '../../ui/lib/api/client.ts';
import { ImportState } from '../../console/lib/imports/import-state.svelte.ts';
import { fileSize } from '../../console/lib/imports/file-size.ts';

const report = (over: Partial<ImportReport> = {}): ImportReport => ({ kind: 'orders', dryRun: true, committed: false, rows: 3, created: 2, updated: 0, unchanged: 1, errors: [], moreErrors: 0, ...over });

/** An upload the test finishes by hand, after reporting progress as the browser would. */
function manualUploads() {
  const calls: { kind: ImportKind; dryRun: boolean; progress: UploadProgress; resolve: (r: ImportReport) => void; reject: (e: unknown) => void }[] = [];
  const upload = (kind: ImportKind, _file: Blob, dryRun: boolean, progress: UploadProgress) =>
    new Promise<ImportReport>((resolve, reject) => calls.push({ kind, dryRun, progress, resolve, reject }));
  return { calls, upload };
}

const file = (size: number, name = 'orders.csv') => new File([new Uint8Array(size)], name);
const template = () => Promise.resolve({ name: 't.csv', blob: new Blob(['x']) });

describe('ImportState', () => {
  it('checks a chosen file at once (dry run), with the upload progress, then imports it on confirm', async () => {
    const { calls, upload } = manualUploads();
    const state = new ImportState(upload, template);
    const checked = state.choose(file(4000));
    expect(state.phase).toBe('checking');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ kind: 'orders', dryRun: true });
    calls[0]!.progress(1000, 4000);
    expect(state.progress).toBe(0.25);
    expect(state.processing).toBe(false);
    calls[0]!.progress(4000, 4000);
    expect(state.processing).toBe(true);
    calls[0]!.resolve(report());
    await checked;
    expect(state.phase).toBe('checked');
    expect(state.canImport).toBe(true);

    const imported = state.confirm();
    expect(calls[1]).toMatchObject({ kind: 'orders', dryRun: false });
    expect(state.phase).toBe('importing');
    expect(state.progress).toBe(0);
    calls[1]!.resolve(report({ dryRun: false, committed: true }));
    await imported;
    expect(state.phase).toBe('imported');
    expect(state.report?.committed).toBe(true);
    expect(state.canImport).toBe(false);
  });

  it('a file with problems cannot be imported', async () => {
    const { calls, upload } = manualUploads();
    const state = new ImportState(upload, template);
    const checked = state.choose(file(10));
    calls[0]!.resolve(report({ errors: [{ row: 3, column: 'quantity', message: "'ten' is not a number" }] }));
    await checked;
    expect(state.canImport).toBe(false);
    await state.confirm();
    expect(calls).toHaveLength(1);
  });

  it('a real import refused by its rows shows their report; another failure is an error', async () => {
    const { calls, upload } = manualUploads();
    const state = new ImportState(upload, template);
    const checked = state.choose(file(10));
    calls[0]!.resolve(report());
    await checked;
    const refused = report({ dryRun: false, errors: [{ row: 2, column: 'quantity', message: 'changed meanwhile' }] });
    const imported = state.confirm();
    calls[1]!.reject(new ApiError(400, 'validation_failed', '1 problem in the file: nothing was imported', null, refused));
    await imported;
    expect(state.phase).toBe('checked');
    expect(state.report).toEqual(refused);
    expect(state.error).toBeNull();

    const again = state.choose(file(10));
    calls[2]!.reject(new ApiError(413, 'payload_too_large', 'too big'));
    await again;
    expect(state.phase).toBe('idle');
    expect(state.error?.code).toBe('payload_too_large');
    expect(state.report).toBeNull();
  });

  it('an answer for a file replaced meanwhile is dropped; the kind is kept while busy', async () => {
    const { calls, upload } = manualUploads();
    const state = new ImportState(upload, template);
    const first = state.choose(file(10, 'a.csv'));
    state.setKind('products');
    expect(state.kind).toBe('orders');
    const second = state.choose(file(20, 'b.csv'));
    calls[0]!.resolve(report({ rows: 99 }));
    await first;
    expect(state.report).toBeNull();
    calls[1]!.resolve(report({ rows: 5 }));
    await second;
    expect(state.report?.rows).toBe(5);
    state.setKind('components');
    expect(state.kind).toBe('components');
    expect(state.report).toBeNull();
    expect(state.file).toBeNull();
  });

  it('a template that cannot be fetched is shown as an error', async () => {
    const state = new ImportState(manualUploads().upload, () => Promise.reject(new ApiError(403, 'forbidden', 'no')));
    expect(await state.template('xlsx')).toBeNull();
    expect(state.error?.code).toBe('forbidden');
  });

  it('offers each role the kinds it may import', () => {
    expect(importKindsFor('admin')).toEqual(['orders', 'products', 'components']);
    expect(importKindsFor('planner')).toEqual(['orders', 'products', 'components']);
    expect(importKindsFor('purchasing')).toEqual(['components']);
    expect(importKindsFor('warehouse')).toEqual([]);
    expect(importKindsFor('sales')).toEqual([]);
  });

  it('file sizes read as people read them', () => {
    expect([fileSize(512), fileSize(1536), fileSize(10 * 1024 * 1024)]).toEqual(['512 B', '1.5 KB', '10.0 MB']);
  });
});
