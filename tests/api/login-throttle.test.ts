import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/password.ts';
import { expectError } from '../support/errors.ts';
import { startTestSystem, useTestSystem, type TestSystem } from '../support/system.ts';

const t = useTestSystem();
let other: TestSystem;

beforeAll(async () => {
  const hash = await hashPassword('right one');
  for (const name of ['locked', 'resets', 'shared', 'timing']) {
    const [u] = await t.sql<{ id: number }[]>`insert into app_user (username, display_name, role, password_hash) values (${name}, ${name}, 'planner', ${hash}) returning id`;
    await t.sql`insert into user_plant (user_id, plant_id) values (${u!.id}, ${t.plantId})`;
  }
  // A second server on the same database: the lock must hold whichever server a guess lands on.
  other = await startTestSystem({ join: t, role: 'server' });
});
afterAll(() => other?.stop());

const login = (username: string, password: string, on: TestSystem['api'] = t.api, headers: Record<string, string> = {}) =>
  on('POST', '/api/v1/auth/login', { username, password }, { token: null, headers });

describe('repeated failed sign-ins', () => {
  it('lock the user name after 5 failures: 429 with Retry-After, even for the right password', async () => {
    for (let i = 0; i < 5; i++) expectError(await login('locked', 'wrong'), 401, 'unauthorized', null);
    const locked = await login('locked', 'right one');
    expectError(locked, 429, 'rate_limited', null);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(30);
  });

  it('are forgotten on a successful sign-in', async () => {
    for (let i = 0; i < 4; i++) expectError(await login('resets', 'wrong'), 401, 'unauthorized', null);
    expect((await login('resets', 'right one')).status).toBe(200);
    for (let i = 0; i < 4; i++) expectError(await login('resets', 'wrong'), 401, 'unauthorized', null);
    expect((await login('resets', 'right one')).status).toBe(200);
  });

  it('count across servers sharing the database', async () => {
    for (let i = 0; i < 3; i++) expectError(await login('shared', 'wrong'), 401, 'unauthorized', null);
    for (let i = 0; i < 2; i++) expectError(await login('shared', 'wrong', other.api), 401, 'unauthorized', null);
    expectError(await login('shared', 'right one', other.api), 429, 'rate_limited', null);
    expectError(await login('shared', 'right one'), 429, 'rate_limited', null);
  });

  it('from one address lock that address after 20, whatever the user names', async () => {
    const trusted = await startTestSystem({ join: t, role: 'server', config: { trustProxy: true } });
    try {
      const from = { 'x-forwarded-for': '203.0.113.9' };
      for (let i = 0; i < 20; i++) expectError(await login(`guess-${i}`, 'wrong', trusted.api, from), 401, 'unauthorized', null);
      expectError(await login('timing', 'right one', trusted.api, from), 429, 'rate_limited', null);
      // Another address is not affected.
      expect((await login('timing', 'right one', trusted.api, { 'x-forwarded-for': '203.0.113.10' })).status).toBe(200);
    } finally {
      await trusted.stop();
    }
  });
});

it('an unknown user name costs the same password check as a known one (names cannot be told apart by time)', async () => {
  const median = async (username: string) => {
    await t.sql`delete from login_failure`; // the tests above locked this test client's address
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      expectError(await login(username, `wrong-${i}`), 401, 'unauthorized', null);
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[1]!;
  };
  const known = await median('timing');
  const unknown = await median('no-such-user');
  // Without the decoy check the unknown name answered about 35x faster (2.5 vs 90 ms).
  expect(unknown).toBeGreaterThan(known / 3);
});
