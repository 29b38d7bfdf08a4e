import type { Role } from '$contract/auth.ts';

/**
 * Where the console opens for a role when no page was asked for: sales people read promises, so
 * theirs is the sales view; QC's the quality page (holds, alerts, scrap); managers read the plant's
 * figures; everyone else starts at the order list.
 */
export function homeOf(role: Role): '/console' | '/console/sales' | '/console/quality' | '/console/manager' {
  if (role === 'sales') return '/console/sales';
  if (role === 'qc') return '/console/quality';
  if (role === 'manager') return '/console/manager';
  return '/console';
}
