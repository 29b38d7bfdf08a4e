import type { AndonView } from '../../server/contract/andon.ts';
import type { LoginView, Me, TokenView } from '../../server/contract/auth.ts';
import type { Board, Playlist } from '../../server/contract/boards.ts';
import type { ErrorBody } from '../../server/contract/errors.ts';
import type { AndonFigures, EscalationLadder } from '../../server/contract/escalation.ts';
import type { NotificationView } from '../../server/contract/notifications.ts';
import type { PlantView, WorkCenterStatus } from '../../server/contract/floor.ts';
import type { FloorEventResult } from '../../server/contract/floor-events.ts';
import type { HealthView } from '../../server/contract/health.ts';
import type { Calendar, Product, WorkCenter } from '../../server/contract/master-data.ts';
import type { Operator, OperatorIdentity } from '../../server/contract/operators.ts';
import type { OrderDetail, OrderView } from '../../server/contract/orders.ts';
import type { ScheduleView } from '../../server/contract/schedule.ts';
import type { ChannelTestView, ChannelView, DeliveryView, SubscriptionView } from '../../server/contract/channels.ts';

/** The answers the UI never reads, as the contract types them. */
export type TokenCreated = TokenView;
export type LoginResult = LoginView;
/** What a caller with a token gets (an anonymous one gets the status alone). */
export type Health = Extract<HealthView, { database: unknown }>;

type V1<P extends string> = `/api/v1${P}`;

/**
 * The answer to a successful request, by method and path (a query string is ignored): the shared
 * contract's types, so a test reads fields the API promises. Paths not listed answer `unknown`.
 */
// prettier-ignore
type Answer<M extends string, P extends string> =
  M extends 'GET'
    ? P extends V1<'/health'> ? Health
    : P extends V1<'/auth/me'> ? Me
    : P extends V1<'/calendars'> ? Calendar[] : P extends V1<`/calendars/${string}`> ? Calendar
    : P extends V1<'/work-centers'> ? WorkCenter[] : P extends V1<`/work-centers/${string}`> ? WorkCenter
    : P extends V1<'/products'> ? Product[] : P extends V1<`/products/${string}`> ? Product
    : P extends V1<'/orders'> ? OrderView[] : P extends V1<`/orders/${string}`> ? OrderDetail
    : P extends V1<'/andon'> ? AndonView[] : P extends V1<'/andon/figures'> ? AndonFigures : P extends V1<`/andon/${string}`> ? AndonView
    : P extends V1<'/escalation'> ? EscalationLadder[]
    : P extends V1<'/notifications'> ? NotificationView[]
    : P extends V1<'/operators'> ? Operator[] : P extends V1<`/operators/${string}`> ? Operator
    : P extends V1<'/boards'> ? Board[] : P extends V1<`/boards/${string}`> ? Board
    : P extends V1<'/playlists'> ? Playlist[] : P extends V1<`/playlists/${string}`> ? Playlist
    : P extends V1<'/schedule'> ? ScheduleView
    : P extends V1<'/plants'> ? PlantView[]
    : P extends V1<'/floor'> ? WorkCenterStatus[]
    : P extends V1<'/channels'> ? ChannelView[] : P extends V1<`/channels/${string}`> ? ChannelView
    : P extends V1<'/subscriptions'> ? SubscriptionView[] : P extends V1<`/subscriptions/${string}`> ? SubscriptionView
    : P extends V1<'/deliveries'> ? DeliveryView[]
    : unknown
  : M extends 'POST'
    ? P extends V1<'/auth/tokens'> ? TokenCreated
    : P extends V1<'/auth/login'> ? LoginResult
    : P extends V1<'/orders'> ? OrderDetail
    : P extends V1<'/events'> ? FloorEventResult
    : P extends V1<'/andon'> ? AndonView & { duplicate: boolean } : P extends V1<`/andon/${string}`> ? AndonView
    : P extends V1<`/notifications/${string}/read`> ? NotificationView
    : P extends V1<'/operators/identify'> ? OperatorIdentity
    : P extends V1<`/channels/${string}/test`> ? ChannelTestView
    : P extends V1<`/deliveries/${string}/replay`> ? DeliveryView
    : unknown
  : M extends 'PUT'
    ? P extends V1<`/calendars/${string}`> ? Calendar
    : P extends V1<`/work-centers/${string}`> ? WorkCenter
    : P extends V1<`/products/${string}`> ? Product
    : P extends V1<`/escalation/${string}`> ? EscalationLadder
    : P extends V1<`/operators/${string}`> ? Operator
    : P extends V1<`/boards/${string}`> ? Board
    : P extends V1<`/playlists/${string}`> ? Playlist
    : P extends V1<`/channels/${string}`> ? ChannelView
    : P extends V1<`/subscriptions/${string}`> ? SubscriptionView
    : unknown
  : M extends 'PATCH'
    ? P extends V1<`/orders/${string}`> ? OrderDetail
    : unknown
  : unknown;

type WithoutQuery<P extends string> = P extends `${infer Path}?${string}` ? Path : P;

export interface JsonResponse<T = unknown> {
  status: number;
  /** The contract type when the request succeeded; on a failure, read it with `errorOf`. */
  body: T;
  headers: Headers;
}

export interface RequestInit {
  /** Overrides the client's token; null sends none. */
  token?: string | null;
  headers?: Record<string, string>;
  /** Sent as the body verbatim, to test what a client must not send. */
  raw?: string;
}

/**
 * The body stays `unknown` on the way in, so a test can send what the contract forbids; the answer
 * is typed from the path (see Answer), or explicitly with `api<T>(...)`.
 */
export type ApiClient = <M extends string, P extends string, T = Answer<M, WithoutQuery<P>>>(
  method: M,
  path: P,
  body?: unknown,
  init?: RequestInit,
) => Promise<JsonResponse<T>>;

/** Real HTTP against a started system, as `token` unless a request names another. */
export function client(baseUrl: string, token?: string, defaults: { headers?: Record<string, string> } = {}): ApiClient {
  return async (method, path, body, init = {}) => {
    const headers: Record<string, string> = { ...defaults.headers, ...init.headers };
    const bearer = init.token === undefined ? token : init.token;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    let payload: string | undefined;
    if (init.raw !== undefined) payload = init.raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(baseUrl + path, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as never, headers: response.headers };
  };
}

/** The error body of a failed request (assert the status first, or use `expectError`). */
export function errorOf(response: JsonResponse): ErrorBody['error'] {
  return (response.body as ErrorBody).error;
}
