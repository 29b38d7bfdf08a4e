import type { Role } from '$contract/auth.ts';

export type ConsoleHome = '/console' | '/console/sales' | '/console/purchasing' | '/console/warehouse';

/**
 * Where the console opens for a role when no page was asked for: sales people read promises, so
 * theirs is the sales view; purchasing its shortages, the warehouse its picking list; everyone else
 * starts at the order list.
 */
export function homeOf(role: Role): ConsoleHome {
  switch (role) {
    case 'sales':
      return '/console/sales';
    case 'purchasing':
      return '/console/purchasing';
    case 'warehouse':
      return '/console/warehouse';
    default:
      return '/console';
  }
}
