import { describe, expect, it } from 'vitest';
import { boardTiles, fitCanvas, layoutTiles, pageOf } from '../../display/lib/board/tile-layout.ts';

const area = { width: 1872, height: 732 };

describe('board tile layout', () => {
  it('puts 12 work centers in 4 columns x 3 rows on one page', () => {
    const l = layoutTiles(12, area);
    expect([l.cols, l.rows, l.pages]).toEqual([4, 3, 1]);
    expect(l.tile.width).toBeGreaterThanOrEqual(boardTiles.min.width);
  });

  it('scales tiles down before paging, and pages only below the minimum readable size', () => {
    const l24 = layoutTiles(24, area);
    expect(l24.pages).toBe(1);
    expect(l24.tile.height).toBeGreaterThanOrEqual(boardTiles.min.height);
    const l60 = layoutTiles(60, area);
    expect(l60.pages).toBeGreaterThan(1);
    expect(l60.perPage * l60.pages).toBeGreaterThanOrEqual(60);
    expect(l60.tile.width).toBeGreaterThanOrEqual(boardTiles.min.width);
    expect(l60.tile.height).toBeGreaterThanOrEqual(boardTiles.min.height);
  });

  it('pages wrap around and cover every tile once', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const l = layoutTiles(items.length, area);
    const seen = Array.from({ length: l.pages }, (_, p) => pageOf(items, l, p)).flat();
    expect(seen).toEqual(items);
    expect(pageOf(items, l, l.pages)).toEqual(pageOf(items, l, 0));
  });

  it('fits the 1920x1080 design canvas to 4K by doubling', () => {
    expect(fitCanvas({ width: 3840, height: 2160 })).toEqual({ scale: 2, width: 1920, height: 1080 });
    const wide = fitCanvas({ width: 2560, height: 1080 });
    expect(wide.scale).toBe(1);
    expect(wide.width).toBe(2560);
  });
});
