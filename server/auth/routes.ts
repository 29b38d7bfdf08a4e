import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { LoginBody, TokenBody, type LoginView, type LogoutView, type Me, type TokenView } from '../contract/auth.ts';
import type { Db } from '../db/connect.ts';
import { ApiError } from '../contract/errors.ts';
import { jsonBody } from '../http/validate.ts';
import { allow, authenticate, PrincipalCache, SESSION_COOKIE } from './middleware.ts';
import { clientAddress, publicOrigin } from '../http/request-origin.ts';
import { lockedUntil, recordFailure, recordSuccess, throttleKeys } from './login-throttle.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { createToken } from './tokens.ts';

const SESSION_DAYS = 14;
/** Verified against when the user name is unknown; no password matches it. */
const decoyHash = hashPassword(randomBytes(32).toString('base64url'));

export function authRoutes({ db, principals = new PrincipalCache(), trustProxy = false }: { db: Db; principals?: PrincipalCache; trustProxy?: boolean }) {
  const app = new Hono();
  app.post('/login', async (c) => {
    const body = await jsonBody(c, LoginBody);
    const keys = throttleKeys(body.username, clientAddress(c, trustProxy));
    const until = await lockedUntil(db, keys);
    if (until) {
      const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
      c.header('Retry-After', String(seconds));
      throw new ApiError(429, 'rate_limited', `too many failed sign-ins: try again in ${seconds} s`);
    }
    const user = await db
      .selectFrom('app_user')
      .selectAll()
      .where('username', '=', body.username)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    // Same answer and the same work (one scrypt) for an unknown user and a wrong password: neither
    // the message nor the time reveals which names exist.
    const matches = await verifyPassword(body.password, user?.password_hash ?? (await decoyHash));
    if (!user || !matches) {
      await recordFailure(db, keys);
      throw new ApiError(401, 'unauthorized', 'wrong user name or password');
    }
    await recordSuccess(db, body.username);
    const plants = await db.selectFrom('user_plant').select('plant_id').where('user_id', '=', user.id).execute();
    const secret = await createToken(db, {
      name: user.username,
      role: user.role,
      kind: 'session',
      userId: user.id,
      allPlants: user.role === 'admin' && plants.length === 0,
      plantIds: plants.map((p) => p.plant_id),
      expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000),
    });
    setCookie(c, SESSION_COOKIE, secret, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: SESSION_DAYS * 86_400,
      secure: publicOrigin(c, trustProxy).protocol === 'https:',
    });
    return c.json({ token: secret, name: user.username, displayName: user.display_name, role: user.role } satisfies LoginView);
  });
  app.post('/logout', authenticate({ db, cacheMs: 0 }), async (c) => {
    const principal = c.get('principal');
    const revoked = await db
      .updateTable('api_token')
      .set({ revoked_at: new Date() })
      .where('id', '=', principal.tokenId)
      .where('kind', '=', 'session')
      .executeTakeFirst();
    // The lookup cache would otherwise keep accepting the session for a few seconds.
    if (revoked.numUpdatedRows > 0n) principals.forgetToken(principal.tokenId);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true } satisfies LogoutView);
  });
  app.get('/me', authenticate({ db, cache: principals }), async (c) => {
    const p = c.get('principal');
    const plants = await db.selectFrom('plant').select(['id', 'code']).orderBy('id').execute();
    const me: Me = {
      name: p.name,
      role: p.role,
      kind: p.kind === 'session' ? 'user' : 'token',
      plants: plants.filter((pl) => p.allPlants || p.plantIds.includes(pl.id)).map((pl) => pl.code),
    };
    return c.json(me);
  });
  app.post('/tokens', authenticate({ db, cache: principals }), allow(), async (c) => {
    const body = await jsonBody(c, TokenBody);
    const principal = c.get('principal');
    // A token can never reach further than the admin who creates it: an admin of one plant makes
    // tokens for that plant (the default), never for every plant.
    const all = (await db.selectFrom('plant').select(['id', 'code']).execute()).filter(
      (p) => principal.allPlants || principal.plantIds.includes(p.id),
    );
    const ids = (body.plants ?? (principal.allPlants ? [] : all.map((p) => p.code))).map((code, i) => {
      const plant = all.find((p) => p.code === code);
      if (!plant) throw new ApiError(400, 'validation_failed', `plant '${code}' does not exist`, `plants.${i}`);
      return plant.id;
    });
    const secret = await createToken(db, {
      name: body.name,
      role: body.role,
      kind: 'api',
      allPlants: body.plants === undefined && principal.allPlants,
      plantIds: ids,
    });
    return c.json({ token: secret, name: body.name, role: body.role } satisfies TokenView, 201);
  });
  return app;
}
