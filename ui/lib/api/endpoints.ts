import type { AndonBody, AndonView } from '$contract/andon.ts';
import type { Me } from '$contract/auth.ts';
import type { FloorEventBody, FloorEventResult } from '$contract/floor-events.ts';
import type { WorkCenter } from '$contract/master-data.ts';
import type { OrderDetail, OrderView } from '$contract/orders.ts';
import type { ScheduleView } from '$contract/schedule.ts';
import { ApiError } from './api-error.ts';
import { http } from './client.ts';

export interface LoginResult {
  token: string;
  name: string;
  displayName: string;
  role: Me['role'];
}

/** Typed calls for every endpoint the UI uses; the only place that knows paths. */
export const api = {
  me: () => http.get<Me>('/auth/me'),
  login: (username: string, password: string) => http.post<LoginResult>('/auth/login', { username, password }),
  logout: () => http.post<{ ok: true }>('/auth/logout', {}),

  workCenters: () => http.get<WorkCenter[]>('/work-centers'),
  workCenter: (code: string) => http.get<WorkCenter>(`/work-centers/${encodeURIComponent(code)}`),

  orders: (query: { status?: 'open' | 'completed' | 'all'; late?: boolean; workCenter?: string; limit?: number } = {}) =>
    http.get<OrderView[]>('/orders', query),
  order: (code: string) => http.get<OrderDetail>(`/orders/${encodeURIComponent(code)}`),

  /** Null before the scheduler has computed a first plan (the API answers 404 then). */
  schedule: async (workCenter?: string): Promise<ScheduleView | null> => {
    try {
      return await http.get<ScheduleView>('/schedule', { workCenter });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },

  andon: (query: { state?: 'open' | 'all'; workCenter?: string; limit?: number } = {}) => http.get<AndonView[]>('/andon', query),
  raiseAndon: (body: AndonBody) => http.post<AndonView & { duplicate: boolean }>('/andon', body),
  acknowledgeAndon: (id: string, body: { expectedMinutes?: number; note?: string } = {}) =>
    http.post<AndonView>(`/andon/${encodeURIComponent(id)}/acknowledge`, body),
  resolveAndon: (id: string, body: { rootCause?: string } = {}) => http.post<AndonView>(`/andon/${encodeURIComponent(id)}/resolve`, body),

  floorEvent: (body: FloorEventBody) => http.post<FloorEventResult>('/events', body),
};
