import * as z from 'zod/mini';

export const roles = ['admin', 'planner', 'sales', 'lead', 'worker', 'display'] as const;
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

export interface Me {
  name: string;
  role: Role;
  plants: string[];
  kind: 'user' | 'token';
}
