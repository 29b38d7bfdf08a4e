import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/password.ts';
import { expectError } from '../support/errors.ts';
import { seedSmallFactory } from '../support/factory.ts';
import { startTestSystem, useTestSystem, type TestSystem } from '../support/system.ts';

const t = useTestSystem({ seed: seedSmallFactory });
const andonCount = async () => (await t.sql<{ n: number }[]>`select count(*)::int as n from andon`)[0]!.n;
const raise = () => ({ id: randomUUID(), workCenter: 'CUT', reason: 'other' });

describe('cookie-authenticated changes from another site (CSRF)', () => {
  const cookie = () => `takt_session=${t.adminToken}`;

  it('are refused by Origin, with nothing stored', async () => {
    const before = await andonCount();
    const r = await t.api('POST', '/api/v1/andon', raise(), { token: null, headers: { cookie: cookie(), origin: 'http://evil.example' } });
    expectError(r, 403, 'forbidden', null);
    expect(await andonCount()).toBe(before);
  });

  it('are refused by Sec-Fetch-Site, also with an empty body', async () => {
    const r = await t.api('POST', `/api/v1/andon/${randomUUID()}/acknowledge`, undefined, { token: null, headers: { cookie: cookie(), 'sec-fetch-site': 'cross-site' } });
    expectError(r, 403, 'forbidden', null);
    const sameSite = await t.api('POST', '/api/v1/andon', raise(), { token: null, headers: { cookie: cookie(), 'sec-fetch-site': 'same-site' } });
    expectError(sameSite, 403, 'forbidden', null);
  });

  it('from our own pages, or with a Bearer token, go through', async () => {
    const own = await t.api('POST', '/api/v1/andon', raise(), { token: null, headers: { cookie: cookie(), 'sec-fetch-site': 'same-origin' } });
    expect(own.status).toBe(201);
    const sameOrigin = await t.api('POST', '/api/v1/andon', raise(), { token: null, headers: { cookie: cookie(), origin: t.url } });
    expect(sameOrigin.status).toBe(201);
    const bearer = await t.api('POST', '/api/v1/andon', raise(), { headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(bearer.status).toBe(201);
    // Reads are never refused: a cross-site GET cannot change anything.
    const read = await t.api('GET', '/api/v1/orders', undefined, { token: null, headers: { cookie: cookie(), 'sec-fetch-site': 'cross-site' } });
    expect(read.status).toBe(200);
  });

  it('a cross-site login is refused too', async () => {
    const r = await t.api('POST', '/api/v1/auth/login', { username: 'nobody', password: 'x' }, { token: null, headers: { origin: 'http://evil.example' } });
    expectError(r, 403, 'forbidden', null);
  });
});

describe('behind a TLS-terminating proxy', () => {
  let proxied: TestSystem;
  beforeAll(async () => {
    const hash = await hashPassword('proxy pass');
    const [user] = await t.sql<{ id: number }[]>`insert into app_user (username, display_name, role, password_hash) values ('proxied', 'P', 'planner', ${hash}) returning id`;
    await t.sql`insert into user_plant (user_id, plant_id) values (${user!.id}, ${t.plantId})`;
    proxied = await startTestSystem({ join: t, role: 'server', config: { trustProxy: true } });
  });
  afterAll(() => proxied?.stop());

  const login = (api: TestSystem['api'], headers: Record<string, string>) =>
    api('POST', '/api/v1/auth/login', { username: 'proxied', password: 'proxy pass' }, { token: null, headers });

  it('the session cookie is Secure when the proxy says https and TAKT_TRUST_PROXY is set', async () => {
    const r = await login(proxied.api, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'takt.example.com', origin: 'https://takt.example.com' });
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('without TAKT_TRUST_PROXY the forwarded headers are not believed', async () => {
    const r = await login(t.api, { 'x-forwarded-proto': 'https' });
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
  });
});
