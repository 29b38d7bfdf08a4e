import { expect, test } from '@playwright/test';

// Pages run under SvelteKit's Content-Security-Policy; a page that needs anything it forbids shows
// up here as a CSP violation in the console, before a user meets a blank screen.
for (const path of ['/console/login', '/display/board', '/display/station']) {
  test(`${path} carries the security headers and runs without a CSP violation`, async ({ page }) => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto(path);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'self'/);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);
  });
}

test('API answers forbid framing and sniffing', async ({ request }) => {
  const r = await request.get('/api/v1/health');
  expect(r.headers()['content-security-policy']).toContain("default-src 'none'");
  expect(r.headers()['x-content-type-options']).toBe('nosniff');
  expect(r.headers()['referrer-policy']).toBe('no-referrer');
});
