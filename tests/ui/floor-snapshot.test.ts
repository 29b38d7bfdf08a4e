import { expect, it } from 'vitest';
import { readFloorSnapshot, saveFloorSnapshot, type FloorSnapshot } from '$display/station/floor-snapshot.ts';
import { MemoryStorage } from './memory-storage.ts';

const snapshot: FloorSnapshot = {
  savedAt: 1_764_000_000_000,
  workCenters: [{ code: 'LATHE', name: 'Lathe', line: 'L1', machines: 2, calendar: 'C', setupMatrix: [], wipLimit: null, lateStartMinutes: 15 }],
  schedule: [{ order: 'SO-1', seq: 2, workCenter: 'LATHE', machine: 1, start: '2026-11-26T01:00:00.000Z', end: '2026-11-26T02:00:00.000Z', setupMinutes: 5, status: 'running', pinned: false, frozen: false, late: false }],
  scheduleVersion: 7,
  andons: [],
  operations: [{ order: 'SO-1', seq: 2, workCenter: 'LATHE', status: 'running', quantity: 10, quantityGood: 3, quantityScrap: 0, machine: 1, startedAt: null, setupMinutes: 5 }],
  orders: [{ code: 'SO-1', productName: 'Shaft', customer: null, operationCount: 4 }],
};

it('keeps the last floor state per work center and reads it back', () => {
  const storage = new MemoryStorage();
  saveFloorSnapshot('LATHE', snapshot, storage);
  expect(readFloorSnapshot('LATHE', storage)).toEqual(snapshot);
  expect(readFloorSnapshot('MILL', storage)).toBeNull();
});

it('ignores a damaged or foreign entry instead of showing garbage', () => {
  const storage = new MemoryStorage();
  storage.setItem('takt.floor-snapshot.LATHE', '{not json');
  expect(readFloorSnapshot('LATHE', storage)).toBeNull();
  storage.setItem('takt.floor-snapshot.LATHE', JSON.stringify({ version: 99, snapshot }));
  expect(readFloorSnapshot('LATHE', storage)).toBeNull();
});
