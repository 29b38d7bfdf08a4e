import { expect, test } from '@playwright/test';
import { asToken, newId, resolveOpenAlerts, screenshot, seedWorkCenter, tokenFor } from './factory.ts';

// Seen on a 1920x1080 TV in English: the alert card cut its reason short ("Breakdo…") and the sound
// prompt covered the last tile. Every reason must fit whole in either language, and the prompt
// must cover nothing.
for (const locale of ['en-US', 'zh-CN']) {
  test(`alert cards show every reason whole and the sound prompt hides no tile (${locale}, 1920x1080)`, async ({ browser, request }) => {
    await resolveOpenAlerts(request);
    const worker = await tokenFor(request, 'worker');
    const display = await tokenFor(request, 'display');
    for (const wc of ['E2E-AL1', 'E2E-AL2']) await seedWorkCenter(request, wc, { line: 'E2E-AL' });
    // Four cards fit: the longest reasons, one escalated.
    for (const [wc, reason] of [['E2E-AL1', 'breakdown'], ['E2E-AL2', 'material'], ['E2E-AL1', 'quality'], ['E2E-AL2', 'safety']] as const) {
      await asToken(request, worker, '/andon', { id: newId(), workCenter: wc, reason, note: 'E2E', expectedMinutes: 600 });
    }
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale });
    const board = await context.newPage();
    await board.goto(`/display/board?token=${display}`);
    await expect(board.getByTestId('andon-alert')).toHaveCount(4);
    const cut = await board.evaluate(() =>
      [...document.querySelectorAll('[data-testid=andon-alert] .reason, [data-testid=andon-alert] .elapsed, [data-testid=andon-alert] .level')]
        .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > el.closest('article')!.getBoundingClientRect().right)
        .map((el) => el.textContent),
    );
    expect(cut).toEqual([]);
    const hint = board.getByTestId('sound-hint');
    if ((await hint.count()) > 0) {
      const box = (await hint.boundingBox())!;
      for (const tile of await board.getByTestId('wc-tile').all()) {
        const t = (await tile.boundingBox())!;
        const overlaps = box.x < t.x + t.width && t.x < box.x + box.width && box.y < t.y + t.height && t.y < box.y + box.height;
        expect(overlaps).toBe(false);
      }
    }
    await board.waitForTimeout(500);
    await screenshot(board, `board-alerts-1920x1080-${locale}`);
    await context.close();
    await resolveOpenAlerts(request);
  });
}
