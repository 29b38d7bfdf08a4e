import type { APIRequestContext, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Must match playwright.config.ts (the server gets it through TAKT_ADMIN_TOKEN). */
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
export const SCREENSHOTS = join(process.cwd(), 'tests/artifacts/screenshots');

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(api: APIRequestContext, token: string, method: 'GET' | 'POST' | 'PUT', path: string, data?: unknown) {
  const response = await api.fetch(`/api/v1${path}`, { method, headers: auth(token), data });
  const body: unknown = await response.json();
  if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${JSON.stringify(body)}`);
  return body as Record<string, unknown>;
}

export const admin = {
  put: (api: APIRequestContext, path: string, data: unknown) => call(api, ADMIN_TOKEN, 'PUT', path, data),
  post: (api: APIRequestContext, path: string, data: unknown) => call(api, ADMIN_TOKEN, 'POST', path, data),
  get: (api: APIRequestContext, path: string) => call(api, ADMIN_TOKEN, 'GET', path),
};

export async function tokenFor(api: APIRequestContext, role: 'worker' | 'lead' | 'display', name = `e2e ${role}`): Promise<string> {
  const body = await admin.post(api, '/auth/tokens', { name, role });
  return body.token as string;
}

export async function asToken(api: APIRequestContext, token: string, path: string, data: unknown) {
  return call(api, token, 'POST', path, data);
}

/**
 * A clock-independent corner of the plant: a 24/7 calendar, one work center on its own line and a
 * one-step product, so each test owns its work center and the demo orders never touch it.
 */
export async function seedWorkCenter(api: APIRequestContext, code: string, options: { line?: string; name?: string } = {}) {
  await admin.put(api, '/calendars/E2E-247', {
    name: 'Always open',
    timeZone: 'UTC',
    shifts: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '00:00' })),
    exceptions: [],
  });
  await admin.put(api, `/work-centers/${code}`, { name: options.name ?? `E2E ${code}`, line: options.line ?? 'E2E', machines: 1, calendar: 'E2E-247' });
  await admin.put(api, `/products/P-${code}`, {
    name: `Part for ${code}`,
    routing: [{ seq: 1, workCenter: code, setupMinutes: 10, runMinutesPerUnit: 1 }],
  });
}

export async function createOrder(api: APIRequestContext, code: string, product: string, quantity: number, dueInHours: number) {
  return admin.post(api, '/orders', {
    code,
    product,
    quantity,
    dueAt: new Date(Date.now() + dueInHours * 3_600_000).toISOString(),
    customer: 'E2E 客户',
  });
}

/** The scheduler works asynchronously; poll the API until the plan includes the order. */
export async function waitForEta(api: APIRequestContext, code: string, accept: (eta: string) => boolean = () => true): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const order = await admin.get(api, `/orders/${code}`);
    if (typeof order.eta === 'string' && accept(order.eta)) return order.eta;
    if (Date.now() > deadline) throw new Error(`no ETA for ${code} (last ${JSON.stringify(order.eta)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export const newId = () => crypto.randomUUID();

/** Tests share one server: close every open alert so the next test's board starts quiet. */
export async function resolveOpenAlerts(api: APIRequestContext): Promise<void> {
  const open = (await call(api, ADMIN_TOKEN, 'GET', '/andon?state=open')) as unknown as { id: string }[];
  for (const a of open) await admin.post(api, `/andon/${a.id}/resolve`, {});
}

/** An operator who identifies at stations with `pin` (tests pick distinct PINs). */
export async function seedOperator(api: APIRequestContext, code: string, pin: string, options: { name?: string; lead?: boolean } = {}) {
  await admin.put(api, `/operators/${code}`, { name: options.name ?? `E2E ${code}`, pin, lead: options.lead ?? false });
}

/** Types the PIN on the station's keypad. */
export async function identifyWithPin(page: Page, pin: string): Promise<void> {
  for (const digit of pin) await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('operator-name').waitFor();
}
