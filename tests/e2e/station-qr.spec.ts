import { expect, test } from '@playwright/test';
import { screenshot, seedWorkCenter, tokenFor } from './factory.ts';

test('the printable station QR encodes the station address', async ({ browser, request }) => {
  await seedWorkCenter(request, 'E2E-QR', { name: 'QR lathe' });
  const token = await tokenFor(request, 'lead', 'qr printer');
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  await page.goto(`/display/station/E2E-QR/qr?token=${token}`);
  const card = page.getByTestId('qr-card');
  await expect(card.getByTestId('qr-url')).toHaveText(/\/display\/station\/E2E-QR$/);
  // A QR symbol is drawn as SVG paths; a blank placeholder would have none.
  await expect(card.locator('[data-testid="qr-image"] svg path').first()).toBeAttached();
  const size = await card.locator('[data-testid="qr-image"] svg').evaluate((svg) => svg.getAttribute('viewBox'));
  expect(size).toMatch(/^0 0 \d+ \d+$/);
  await screenshot(page, 'station-qr');
  await page.close();
});
