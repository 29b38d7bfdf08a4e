import type { Role } from '$contract/auth.ts';

export type ConsoleHome = '/console' | '/console/sales' | '/console/purchasing' | '/console/warehouse' | '/console/quality' | '/console/manager';

/**
 * Where the console opens for a role when no page was asked for: sales people read promises, so
 * theirs is the sales view; purchasing its shortages, the warehouse its picking list, QC the quality
 * page (holds, alerts, scrap), managers the plant's figures; everyone else starts at the order list.
 */
export function homeOf(role: Role): ConsoleHome {
  switch (role) {
    case 'sales':
      return '/console/sales';
    case 'purchasing':
      return '/console/purchasing';
    case 'warehouse':
      return '/console/warehouse';
    case 'qc':
      return '/console/quality';
    case 'manager':
      return '/console/manager';
    default:
      return '/console';
  }
}
