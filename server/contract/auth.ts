import * as z from 'zod/mini';

/**
 * Who may do what. The floor (worker, lead, display), planning, sales, and the departments that act on
 * what the plan says next: purchasing (materials), warehouse (picking, shipping), qc, manager (figures).
 */
export const roles = ['admin', 'planner', 'sales', 'lead', 'worker', 'display', 'purchasing', 'warehouse', 'qc', 'manager'] as const;
export type Role = (typeof roles)[number];

export const LoginBody = z.object({
  username: z.string().check(z.minLength(1), z.maxLength(64)),
  password: z.string().check(z.minLength(1), z.maxLength(200)),
});

export const TokenBody = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  role: z.enum(roles),
  plants: z.optional(z.array(z.string()).check(z.maxLength(100))),
});

/** GET /auth/me: who the token belongs to and the plants it reaches. */
export const Me = z.object({
  name: z.string(),
  role: z.enum(roles),
  plants: z.array(z.string()),
  kind: z.enum(['user', 'token']),
});
export type Me = z.infer<typeof Me>;

/** POST /auth/login: the session token (also set as the cookie) and who signed in. */
export const LoginView = z.object({ token: z.string(), name: z.string(), displayName: z.string(), role: z.enum(roles) });
export type LoginView = z.infer<typeof LoginView>;

/** POST /auth/logout. */
export const LogoutView = z.object({ ok: z.literal(true) });
export type LogoutView = z.infer<typeof LogoutView>;

/** POST /auth/tokens: the secret, shown this once. */
export const TokenView = z.object({ token: z.string(), name: z.string(), role: z.enum(roles) });
export type TokenView = z.infer<typeof TokenView>;
