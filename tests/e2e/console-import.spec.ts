import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { admin, screenshot, seedWorkCenter } from './factory.ts';

/**
 * The import page (/console/import) as a planner uses it: download a template, choose a file with
 * mistakes and read the report row by row, choose the corrected file and import it, watch a large
 * file's upload progress; in both languages at 1440x900. Each language imports its own codes.
 */

async function plannerToken(request: APIRequestContext): Promise<string> {
  return (await admin.post(request, '/auth/tokens', { name: 'e2e planner (import)', role: 'planner' })).token as string;
}

let seeded: Promise<void> | null = null;
function seed(request: APIRequestContext): Promise<void> {
  seeded ??= seedWorkCenter(request, 'IMP-C', { line: 'E2E-IMP', name: 'Import cell' });
  return seeded;
}

const csvFile = (name: string, lines: string[]) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n') });

async function open(browser: Browser, request: APIRequestContext, baseURL: string, language: 'en' | 'zh-CN'): Promise<Page> {
  const context = await browser.newContext({ locale: language === 'en' ? 'en-US' : 'zh-CN', viewport: { width: 1440, height: 900 } });
  await context.addCookies([{ name: 'takt_session', value: await plannerToken(request), url: baseURL }]);
  const page = await context.newPage();
  await page.goto('/console/import');
  return page;
}

const noSidewaysScroll = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);

for (const language of ['en', 'zh-CN'] as const) {
  test(`import products: the report row by row, then the corrected file imported (${language})`, async ({ browser, request, baseURL }) => {
    await seed(request);
    const page = await open(browser, request, baseURL!, language);
    const tag = language === 'en' ? 'EN' : 'ZH';
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(language === 'en' ? 'Import' : '数据导入');
    await expect(page.getByRole('link', { name: language === 'en' ? 'Import' : '导入' })).toHaveAttribute('aria-current', 'page');

    await page.getByTestId('kind-products').click();
    const download = page.waitForEvent('download');
    await page.getByTestId('template-xlsx').click();
    expect((await download).suggestedFilename()).toBe('takt-products.xlsx');

    const header = language === 'en' ? 'type,product,name,seq,workCenter,setupMinutes,runMinutesPerUnit,description' : '类型,产品编码,产品名称,工序号,工作中心,准备时间（分钟）,单件工时（分钟）,工序说明';
    await page.getByTestId('import-file').setInputFiles(
      csvFile('products.csv', [
        header,
        `step,IMP-${tag}-1,Import bracket,1,IMP-C,30,1.5,Cut`,
        `step,IMP-${tag}-1,,2,IMP-NOPE,15,2,Weld`,
        `step,IMP-${tag}-2,Import frame,1,IMP-C,abc,3,`,
        `step,IMP-${tag}-3,Import cover,1,IMP-C,5,0,`,
      ]),
    );
    const report = page.getByTestId('import-report');
    await expect(report.getByTestId('import-error')).toHaveCount(3);
    await expect(report.getByTestId('count-rows')).toHaveText('4');
    await expect(report.getByTestId('count-problems')).toHaveText('3');
    const rows = await report.getByTestId('import-error').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
    const [wc, setup, run] = language === 'en' ? ['workCenter', 'setupMinutes', 'runMinutesPerUnit'] : ['工作中心', '准备时间（分钟）', '单件工时（分钟）'];
    expect(rows).toEqual([
      ['3', wc, "work center 'IMP-NOPE' does not exist"],
      ['4', setup, "'abc' is not a number"],
      ['5', run, `${run} must be greater than 0`],
    ]);
    await expect(page.getByTestId('import-run')).toHaveCount(0);
    await noSidewaysScroll(page);
    await screenshot(page, `console-import-report-${language}`);
    expect((await request.get(`/api/v1/products/IMP-${tag}-1`, { headers: { authorization: 'Bearer e2e-admin-token-0123456789' } })).status()).toBe(404);

    await page.getByTestId('import-file').setInputFiles(
      csvFile('products-fixed.csv', [header, `step,IMP-${tag}-1,Import bracket,1,IMP-C,30,1.5,Cut`, `step,IMP-${tag}-1,,2,IMP-C,15,2,Weld`, `step,IMP-${tag}-2,Import frame,1,IMP-C,20,3,`]),
    );
    await expect(page.getByTestId('import-run')).toBeEnabled();
    await expect(report.getByTestId('count-created')).toHaveText('2');
    await page.getByTestId('import-run').click();
    await expect(page.getByTestId('import-done')).toBeVisible();
    await expect(report).toHaveAttribute('data-phase', 'imported');
    await expect(report.getByTestId('count-created')).toHaveText('2');
    const product = await admin.get(request, `/products/IMP-${tag}-1`);
    expect(product.routing).toEqual([
      { seq: 1, workCenter: 'IMP-C', setupMinutes: 30, runMinutesPerUnit: 1.5, minTransferMinutes: 0, description: 'Cut' },
      { seq: 2, workCenter: 'IMP-C', setupMinutes: 15, runMinutesPerUnit: 2, minTransferMinutes: 0, description: 'Weld' },
    ]);
    await noSidewaysScroll(page);
    await screenshot(page, `console-import-done-${language}`);
    await page.context().close();
  });

  test(`a large file shows its upload progress, then the row counts (${language})`, async ({ browser, request, baseURL }) => {
    await seed(request);
    const page = await open(browser, request, baseURL!, language);
    await page.getByTestId('kind-components').click();
    // A slow uplink (256 KB/s) so that the progress can be seen and photographed.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    const note = 'n'.repeat(2_000);
    const tag = language === 'en' ? 'EN' : 'ZH';
    const lines = ['component,name,unit,onHand,reorderPoint,leadTimeDays,ERP note', ...Array.from({ length: 600 }, (_, i) => `IMP-${tag}-C${i},Component ${i},pcs,${i},10,2,${note}`)];
    await page.getByTestId('import-file').setInputFiles(csvFile('components-large.csv', lines));
    const progress = page.getByTestId('import-progress');
    await expect(progress).toContainText(language === 'en' ? /Uploading \d+(\.\d)? (KB|MB) of 1\.\d MB/ : /正在上传 \d+(\.\d)? (KB|MB) \/ 1\.\d MB/);
    await screenshot(page, `console-import-progress-${language}`);
    await expect(page.getByTestId('import-report').getByTestId('count-rows')).toHaveText('600', { timeout: 60_000 });
    await expect(page.getByTestId('import-report').getByTestId('count-created')).toHaveText('600');
    await expect(progress).toHaveCount(0);
    await page.context().close();
  });
}
