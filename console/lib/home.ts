import type { Role } from '$contract/auth.ts';

/**
 * Where the console opens for a role when no page was asked for: sales people read promises, so
 * theirs is the sales view; managers read the plant's figures; everyone else starts at the order list.
 */
export function homeOf(role: Role): '/console' | '/console/sales' | '/console/manager' {
  if (role === 'sales') return '/console/sales';
  if (role === 'manager') return '/console/manager';
  return '/console';
}
