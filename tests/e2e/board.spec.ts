import { expect, test } from '@playwright/test';
import { asToken, createOrder, newId, seedWorkCenter, tokenFor, waitForEta } from './factory.ts';

test.use({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });

test('a progress event posted to the API updates the TV board without reload', async ({ page, request }) => {
  await seedWorkCenter(request, 'E2E-A');
  await createOrder(request, 'E2E-A1', 'P-E2E-A', 50, 72);
  await waitForEta(request, 'E2E-A1');
  const display = await tokenFor(request, 'display', 'e2e board');
  const worker = await tokenFor(request, 'worker');

  await page.goto(`/display/board?token=${display}`);
  const tile = page.locator('[data-testid=wc-tile][data-wc="E2E-A"]');
  await expect(tile).toBeVisible();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  // The token leaves the address bar but survives a reload through localStorage.
  await expect(page).not.toHaveURL(/token=/);
  // A marker that a reload would wipe: proves the update arrived live.
  await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = 'still here'));

  await asToken(request, worker, '/events', { id: newId(), type: 'operation.started', order: 'E2E-A1', seq: 1 });
  await expect(tile).toHaveAttribute('data-state', /setup|running/);
  await asToken(request, worker, '/events', { id: newId(), type: 'operation.progress', order: 'E2E-A1', seq: 1, quantityGood: 7 });

  await expect(tile.getByTestId('wc-qty')).toHaveText(/^7\s*\/\s*50$/);
  await expect(tile).toHaveAttribute('data-state', 'running');
  expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('still here');
});

test('the board fits 1920x1080 without scrollbars and weighs little', async ({ page, request }) => {
  const display = await tokenFor(request, 'display', 'e2e board weight');
  let transferred = 0;
  page.on('requestfinished', async (req) => {
    const sizes = await req.sizes();
    transferred += sizes.responseBodySize + sizes.responseHeadersSize;
  });
  await page.goto(`/display/board/ALL?token=${display}`);
  await expect(page.locator('[data-testid=wc-tile]').first()).toBeVisible();
  // The live stream never goes idle: wait a fixed time for the snapshot requests instead.
  await page.waitForTimeout(3000);
  const overflow = await page.evaluate(() => ({
    x: document.documentElement.scrollWidth > window.innerWidth,
    y: document.documentElement.scrollHeight > window.innerHeight,
  }));
  expect(overflow).toEqual({ x: false, y: false });
  const kb = Math.round(transferred / 102.4) / 10;
  test.info().annotations.push({ type: 'board-weight-kb', description: String(kb) });
  console.log(`board page weight: ${kb} KB transferred (without the open SSE stream)`);
});
