import { randomBytes } from 'node:crypto';
import { roles, type Role } from '../contract/auth.ts';
import type { Db, Queryable, Trx } from '../db/connect.ts';
import { hashPassword } from '../auth/password.ts';
import { createToken } from '../auth/tokens.ts';
import { putBoard, putPlaylist } from '../boards/service.ts';
import { putCalendar, putProduct, putWorkCenter } from '../master-data/service.ts';
import { putOperator } from '../operators/service.ts';
import { createOrder } from '../orders/service.ts';
import { DEMO_PLANT, demoCalendar, demoOrder, demoProducts, demoWorkCenters } from './factory.ts';
import { seedDemoMaterials } from './materials.ts';
import { between, seededRandom } from './random.ts';

export interface DemoCredentials {
  plant: string;
  adminToken: string;
  displayToken: string;
  /** A worker-role API token for station tablets (URL ?token=). */
  workerToken: string;
  users: { username: string; password: string; role: Role }[];
  /** Operators who identify at a station with a PIN. */
  operators: { code: string; name: string; pin: string }[];
}

const demoOperators = [
  { code: 'OP01', name: '张伟 Zhang Wei', pin: '1001', lead: true },
  { code: 'OP02', name: '王芳 Wang Fang', pin: '1002', lead: false },
  { code: 'OP03', name: '李娜 Li Na', pin: '1003', lead: false },
  { code: 'OP04', name: '刘洋 Liu Yang', pin: '1004', lead: false },
  { code: 'OP05', name: '陈静 Chen Jing', pin: '1005', lead: false },
  { code: 'OP06', name: '赵磊 Zhao Lei', pin: '1006', lead: true },
];
const OPERATOR_PREFIX = '@operator:';

const demoRoles: readonly Role[] = roles;
const ORDER_COUNT = 60;
const DAY = 86_400_000;

async function storedCredentials(db: Queryable): Promise<DemoCredentials | null> {
  const rows = await db.selectFrom('demo_credential').selectAll().execute();
  if (rows.length === 0) return null;
  const admin = rows.find((r) => r.username === '@admin-token');
  const display = rows.find((r) => r.username === '@display-token');
  const worker = rows.find((r) => r.username === '@worker-token');
  return {
    plant: DEMO_PLANT.code,
    adminToken: admin?.token ?? '',
    displayToken: display?.token ?? '',
    workerToken: worker?.token ?? '',
    users: rows
      .filter((r) => !r.username.startsWith('@'))
      .map((r) => ({ username: r.username, password: r.password ?? '', role: r.role }))
      .sort((a, b) => demoRoles.indexOf(a.role) - demoRoles.indexOf(b.role)),
    operators: rows
      .filter((r) => r.username.startsWith(OPERATOR_PREFIX))
      .map((r) => {
        const code = r.username.slice(OPERATOR_PREFIX.length);
        return { code, name: demoOperators.find((o) => o.code === code)?.name ?? code, pin: r.password ?? '' };
      })
      .sort((a, b) => a.code.localeCompare(b.code)),
  };
}

/**
 * The floor part of the demo: TV boards (whole plant, one per line), a playlist rotating the lines,
 * operators with PINs and a worker token for station URLs. Separate, and idempotent, so a demo
 * database seeded by an older version gets it at its next start.
 */
async function seedDemoFloor(trx: Trx, plantId: number): Promise<void> {
  const actor = { plantId, name: 'demo-seed' };
  const hasBoards = await trx.selectFrom('board').select('code').where('plant_id', '=', plantId).executeTakeFirst();
  if (!hasBoards) {
    const lines = [...new Set(demoWorkCenters.map((w) => w.body.line))].sort();
    await putBoard(trx, actor, 'ALL', { name: '全厂 Whole plant', lines: [], workCenters: [], pageSeconds: 15, sound: true, layout: 'tiles' });
    for (const line of lines) await putBoard(trx, actor, line, { name: `产线 Line ${line}`, lines: [line], workCenters: [], pageSeconds: 15, sound: true, layout: 'tiles' });
    await putPlaylist(trx, actor, 'ROTATE', { name: '轮播 Lines in turn', boards: lines, rotateSeconds: 30 });
  }
  const hasOperators = await trx.selectFrom('operator').select('code').where('plant_id', '=', plantId).executeTakeFirst();
  if (!hasOperators) {
    for (const o of demoOperators) {
      await putOperator(trx, actor, o.code, { name: o.name, pin: o.pin, lead: o.lead, active: true });
      await trx.insertInto('demo_credential').values({ username: OPERATOR_PREFIX + o.code, role: 'worker', password: o.pin, token: null }).execute();
    }
  }
  const hasWorker = await trx.selectFrom('demo_credential').select('username').where('username', '=', '@worker-token').executeTakeFirst();
  if (!hasWorker) {
    const workerToken = await createToken(trx, { name: 'demo stations', role: 'worker', kind: 'api', plantIds: [plantId] });
    await trx.insertInto('demo_credential').values({ username: '@worker-token', role: 'worker', password: null, token: workerToken }).execute();
  }
}

/**
 * Seeds the demo factory when the database is empty (or when forced and the demo plant is missing).
 * Returns the demo's credentials whenever the demo plant exists, so every start can print them.
 */
function demoPassword(role: Role): string {
  return `${role}-${randomBytes(3).toString('hex')}`;
}

async function insertDemoUser(trx: Queryable, plantId: number, role: Role, password: string, hash: string): Promise<void> {
  const user = await trx
    .insertInto('app_user')
    .values({ username: role, display_name: `Demo ${role}`, role, password_hash: hash, disabled_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('user_plant').values({ user_id: user.id, plant_id: plantId }).execute();
  await trx.insertInto('demo_credential').values({ username: role, role, password, token: null }).execute();
}

async function addDemoUsers(db: Db, missing: Role[]): Promise<void> {
  const plant = await db.selectFrom('plant').select('id').where('code', '=', DEMO_PLANT.code).executeTakeFirst();
  if (!plant) return;
  const fresh = await Promise.all(
    missing.map(async (role) => {
      const password = demoPassword(role);
      return { role, password, hash: await hashPassword(password) };
    }),
  );
  await db.transaction().execute(async (trx) => {
    for (const u of fresh) {
      const taken = await trx.selectFrom('app_user').select('id').where('username', '=', u.role).executeTakeFirst();
      if (!taken) await insertDemoUser(trx, plant.id, u.role, u.password, u.hash);
    }
  });
}

export async function seedDemo(db: Db, options: { force: boolean; adminToken: string | null; now?: Date }): Promise<DemoCredentials | null> {
  let existing = await storedCredentials(db);
  // A demo seeded before a role existed gets its demo user now (the departments came later).
  const missing = existing ? demoRoles.filter((r) => !existing!.users.some((u) => u.role === r)) : [];
  if (missing.length) {
    await addDemoUsers(db, missing);
    existing = await storedCredentials(db);
  }
  if (existing) {
    // A demo seeded before materials existed gets its components and BOMs now.
    const demoPlant = await db.selectFrom('plant').select('id').where('code', '=', DEMO_PLANT.code).executeTakeFirst();
    if (demoPlant) await db.transaction().execute((trx) => seedDemoMaterials(trx, demoPlant.id, options.now ?? new Date()));
    if (existing.workerToken && existing.operators.length) return existing;
    const plant = await db.selectFrom('plant').select('id').where('code', '=', DEMO_PLANT.code).executeTakeFirst();
    if (!plant) return existing;
    await db.transaction().execute((trx) => seedDemoFloor(trx, plant.id));
    return await storedCredentials(db);
  }
  const plants = await db.selectFrom('plant').select('id').execute();
  if (plants.length > 0 && !options.force) return null;

  const now = options.now ?? new Date();
  const random = seededRandom(20261125);
  const passwords = new Map(demoRoles.map((r) => [r, demoPassword(r)]));
  const hashes = new Map(await Promise.all(demoRoles.map(async (r) => [r, await hashPassword(passwords.get(r)!)] as const)));

  return await db.transaction().execute(async (trx) => {
    const plant = await trx
      .insertInto('plant')
      .values({ code: DEMO_PLANT.code, name: DEMO_PLANT.name, time_zone: DEMO_PLANT.timeZone })
      .returning('id')
      .executeTakeFirstOrThrow();
    const actor = { plantId: plant.id, name: 'demo-seed' };
    await putCalendar(trx, actor, demoCalendar.code, demoCalendar.body);
    for (const wc of demoWorkCenters) await putWorkCenter(trx, actor, wc.code, wc.body);
    for (const p of demoProducts) await putProduct(trx, actor, p.code, p.body);

    for (const role of demoRoles) await insertDemoUser(trx, plant.id, role, passwords.get(role)!, hashes.get(role)!);
    const adminToken = options.adminToken ?? (await createToken(trx, { name: 'demo admin', role: 'admin', kind: 'api', allPlants: true }));
    const displayToken = await createToken(trx, { name: 'demo TV boards', role: 'display', kind: 'api', plantIds: [plant.id] });
    await trx.insertInto('demo_credential').values([
      { username: '@admin-token', role: 'admin', password: null, token: adminToken },
      { username: '@display-token', role: 'display', password: null, token: displayToken },
    ]).execute();
    await seedDemoFloor(trx, plant.id);

    // Sixty open orders due over the next two weeks; the first few are already behind.
    for (let i = 0; i < ORDER_COUNT; i++) {
      const dueInDays = i < 5 ? -between(random, 1, 2) + random() : 1 + (i / ORDER_COUNT) * 13 + random();
      await createOrder(trx, actor, demoOrder(random, `SO-${String(2611001 + i)}`, new Date(now.getTime() + dueInDays * DAY)));
    }

    // The floor is mid-week: early orders are partly through their routings.
    const orders = await trx.selectFrom('customer_order').select(['id', 'quantity']).where('plant_id', '=', plant.id).orderBy('id').limit(25).execute();
    for (const [index, order] of orders.entries()) {
      const ops = await trx.selectFrom('operation').select(['seq']).where('order_id', '=', order.id).orderBy('seq').execute();
      const done = Math.min(ops.length - 1, Math.floor(random() * ops.length * (index < 10 ? 0.8 : 0.5)));
      for (const op of ops.slice(0, done)) {
        const at = new Date(now.getTime() - (done - op.seq + 1) * 3_600_000);
        await trx
          .updateTable('operation')
          .set({ status: 'completed', quantity_good: order.quantity, machine: 1, started_at: at, completed_at: at, last_report_at: at })
          .where('order_id', '=', order.id)
          .where('seq', '=', op.seq)
          .execute();
      }
    }
    await seedDemoMaterials(trx, plant.id, now);
    return (await storedCredentials(trx))!;
  });
}
