import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditPage } from '../../server/contract/audit.ts';
import type { AuditState as AuditStateClass } from '../../console/lib/audit/audit-state.svelte.ts';
import type * as Summary from '../../console/lib/audit/audit-summary.ts';
import type { locale as localeState } from '../../ui/lib/i18n/locale.svelte.ts';
import { json, useFakeServer, type FakeServer } from './fake-server.ts';

const fake = useFakeServer();
let server: FakeServer;
let AuditState: typeof AuditStateClass;
let summary: typeof Summary;
let locale: typeof localeState;

const entry = (id: number, patch: Partial<AuditEntry> = {}): AuditEntry => ({
  id: String(id),
  at: '2026-12-03T01:00:00.000Z',
  receivedAt: '2026-12-03T01:00:00.000Z',
  actor: 'Anna (planner)',
  kind: 'order.updated',
  subject: 'SO-1',
  changes: [],
  payload: {},
  ...patch,
});

/** Pages of the fake log, by `before`: 5 4 | 3 2 | 1. */
const pages: Record<string, AuditPage> = {
  '': { entries: [entry(5), entry(4)], nextBefore: '4' },
  '4': { entries: [entry(3), entry(2)], nextBefore: '2' },
  '2': { entries: [entry(1)], nextBefore: null },
};

beforeEach(async () => {
  server = fake.server;
  ({ AuditState } = await import('../../console/lib/audit/audit-state.svelte.ts'));
  summary = await import('../../console/lib/audit/audit-summary.ts');
  ({ locale } = await import('../../ui/lib/i18n/locale.svelte.ts'));
  locale.current = 'en';
  locale.timeZone = 'Asia/Shanghai';
  server.api.set('/audit', (url: URL) => pages[url.searchParams.get('before') ?? '']);
});

describe('AuditState', () => {
  it('searches with the trimmed filters and the period read in plant time', async () => {
    const audit = new AuditState();
    audit.filters = { subject: ' SO-1 ', user: '', kind: 'order', from: '2026-12-03T08:00', to: '2026-12-04T08:00' };
    await audit.search();
    const q = server.requestsTo('/audit')[0]!.searchParams;
    expect(Object.fromEntries(q)).toEqual({ subject: 'SO-1', kind: 'order', from: '2026-12-03T00:00:00.000Z', to: '2026-12-04T00:00:00.000Z', limit: '50' });
    expect(audit.entries.map((e) => e.id)).toEqual(['5', '4']);
    expect(audit.nextBefore).toBe('4');
    expect(audit.loaded).toBe(true);
  });

  it('loads more by keyset with the filters the rows answer, until the start of the log', async () => {
    const audit = new AuditState();
    audit.filters.subject = 'SO-1';
    await audit.search();
    // Typed but not searched: "load more" continues the shown answer, not the edited filters.
    audit.filters.subject = 'SO-2';
    await audit.more();
    await audit.more();
    expect(audit.entries.map((e) => e.id)).toEqual(['5', '4', '3', '2', '1']);
    expect(audit.nextBefore).toBeNull();
    await audit.more();
    const sent = server.requestsTo('/audit').map((u) => [u.searchParams.get('subject'), u.searchParams.get('before')]);
    expect(sent).toEqual([['SO-1', null], ['SO-1', '4'], ['SO-1', '2']]);
  });

  it('a failed page keeps the rows shown and says why; an unreadable period asks nothing', async () => {
    const audit = new AuditState();
    await audit.search();
    server.api.set('/audit', () => json(503, { error: { code: 'database_unavailable', message: 'down' } }));
    await audit.more();
    expect(audit.entries.map((e) => e.id)).toEqual(['5', '4']);
    expect(audit.error?.code).toBe('database_unavailable');
    audit.filters.from = '03.12.2026 08:00';
    await audit.search();
    expect(audit.error?.field).toBe('from');
    expect(server.requestsTo('/audit').length).toBe(2);
  });
});

describe('audit sentences', () => {
  it('shows a due-date change before -> after in plant time, in both languages', () => {
    const changes = [
      { field: 'dueAt', before: '2026-12-05T00:00:00.000Z', after: '2026-12-06T09:30:00.000Z' },
      { field: 'priority', before: 1, after: 3 },
      { field: 'releaseAt', before: null, after: '2026-12-04T00:00:00.000Z' },
    ];
    expect(summary.changeLines(changes)).toEqual([
      { field: 'Due date', before: '2026-12-05 08:00', after: '2026-12-06 17:30' },
      { field: 'Priority', before: '1', after: '3' },
      { field: 'Release', before: '—', after: '2026-12-04 08:00' },
    ]);
    locale.current = 'zh-CN';
    expect(summary.changeLines(changes).map((l) => l.field)).toEqual(['交期', '优先级', '下达时间']);
    expect(summary.kindLabel('order.updated')).toBe('修改订单');
    expect(summary.kindLabel('board.put')).toBe('board.put');
  });

  it('says what a report, an unmatched counter and an unnamed kind did', () => {
    expect(summary.summaryOf(entry(1, { kind: 'operation.progress', subject: 'SO-1/1', payload: { quantityGood: 15, quantityScrap: 0, machine: 1 } }))).toBe('15 good · machine 1');
    expect(summary.summaryOf(entry(2, { kind: 'machine.counter_unmatched', payload: { reason: 'no_running_operation', good: 7, scrap: 0 } }))).toBe('7 parts counted while no job ran on the machine');
    expect(summary.summaryOf(entry(3, { kind: 'machine.counter_unmatched', payload: { reason: 'over_quantity', good: 4, scrap: 1, order: 'SO-9' } }))).toBe('5 parts counted beyond the quantity of SO-9');
    expect(summary.summaryOf(entry(4, { kind: 'work_center.put', payload: { name: 'Cutting', machines: 2, setupMatrix: [] } }))).toBe('name=Cutting, machines=2');
    expect(summary.summaryOf(entry(5, { changes: [{ field: 'priority', before: 1, after: 2 }] }))).toBe('');
  });
});
