/**
 * How the work-center tiles share the board's tile area, with no scrollbars: the grid that makes
 * tiles as large as possible (close to the ideal aspect); when even tiles at the minimum readable
 * size cannot hold them all, pages of as many tiles as fit at that size, shown in turn.
 * All sizes are in board pixels (the board is laid out at 1920x1080 and scaled to the screen).
 */
export interface TileLayoutOptions {
  /** The size a tile is designed for; larger is fine, the content scales with the tile. */
  ideal: { width: number; height: number };
  /** Below this a tile is not readable from 3-5 m. */
  min: { width: number; height: number };
  gap: number;
}

export interface TileLayout {
  cols: number;
  rows: number;
  perPage: number;
  pages: number;
  tile: { width: number; height: number };
}

export const boardTiles: TileLayoutOptions = { ideal: { width: 460, height: 250 }, min: { width: 300, height: 170 }, gap: 12 };

const tileSize = (cols: number, rows: number, area: { width: number; height: number }, gap: number) => ({
  width: (area.width - gap * (cols - 1)) / cols,
  height: (area.height - gap * (rows - 1)) / rows,
});

export function layoutTiles(count: number, area: { width: number; height: number }, options: TileLayoutOptions = boardTiles): TileLayout {
  const n = Math.max(1, count);
  let best: { cols: number; rows: number; score: number } | null = null;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const size = tileSize(cols, rows, area, options.gap);
    if (size.width < options.min.width || size.height < options.min.height) continue;
    // How large the tile's content can be drawn: limited by the tighter dimension.
    const score = Math.min(size.width / options.ideal.width, size.height / options.ideal.height);
    if (!best || score > best.score + 1e-9) best = { cols, rows, score };
  }
  if (best) {
    return { cols: best.cols, rows: best.rows, perPage: n, pages: 1, tile: tileSize(best.cols, best.rows, area, options.gap) };
  }
  // Not all fit: as many columns and rows of minimum-size tiles as the area holds, then pages.
  const cols = Math.max(1, Math.floor((area.width + options.gap) / (options.min.width + options.gap)));
  const rows = Math.max(1, Math.floor((area.height + options.gap) / (options.min.height + options.gap)));
  const perPage = cols * rows;
  return { cols, rows, perPage, pages: Math.ceil(n / perPage), tile: tileSize(cols, rows, area, options.gap) };
}

/** The slice of items on page `page` (wrapping), so a shrinking list never shows an empty page. */
export function pageOf<T>(items: T[], layout: TileLayout, page: number): T[] {
  if (layout.pages <= 1) return items;
  const p = ((page % layout.pages) + layout.pages) % layout.pages;
  return items.slice(p * layout.perPage, (p + 1) * layout.perPage);
}

/** Scale that fits a design canvas (1920x1080) into the screen, and the canvas size that fills it. */
export function fitCanvas(screen: { width: number; height: number }, design = { width: 1920, height: 1080 }) {
  const scale = Math.min(screen.width / design.width, screen.height / design.height);
  return { scale, width: screen.width / scale, height: screen.height / scale };
}
