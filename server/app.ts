import { Hono, type MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { secureHeaders } from 'hono/secure-headers';
import { andonRoutes } from './andon/routes.ts';
import { authenticate, PrincipalCache } from './auth/middleware.ts';
import { authRoutes } from './auth/routes.ts';
import { channelRoutes } from './channels/routes.ts';
import type { DeliveryDeps } from './channels/delivery.ts';
import { boardRoutes } from './boards/routes.ts';
import type { ErrorBody } from './contract/errors.ts';
import type { Db } from './db/connect.ts';
import { escalationRoutes } from './escalation/routes.ts';
import { floorEventRoutes } from './floor-events/routes.ts';
import { healthRoutes, type HealthProbe } from './health/routes.ts';
import { limitBody } from './http/body-limit.ts';
import { refuseCrossSite } from './http/cross-site.ts';
import { onError } from './http/on-error.ts';
import { rejectUnstorablePath } from './http/storable-path.ts';
import { kpiRoutes } from './kpis/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { materialRoutes } from './materials/routes.ts';
import { masterDataRoutes } from './master-data/routes.ts';
import { notificationRoutes } from './notifications/routes.ts';
import { openApiDocument } from './openapi/document.ts';
import { operatorRoutes } from './operators/routes.ts';
import { orderRoutes } from './orders/routes.ts';
import { pinRoutes } from './plan/routes.ts';
import { qualityRoutes } from './quality/routes.ts';
import type { PlanPreviewer } from './plan/preview.ts';
import { plantRoutes } from './plants/routes.ts';
import { plantScope } from './plants/scope.ts';
import { scheduleRoutes } from './schedule/routes.ts';
import type { StreamHub } from './stream/hub.ts';
import { streamRoutes } from './stream/routes.ts';
import { floorRoutes } from './floor/routes.ts';
import { jsonLength } from './http/json-length.ts';
import { quoteRoutes } from './quotes/routes.ts';
import { screenRoutes } from './screens/routes.ts';
import type { QuotePlanner } from './quotes/service.ts';
import { answerDeadline } from './http/answer-deadline.ts';
import { importRoutes } from './imports/routes.ts';
import { IMPORT_MAX_BYTES } from './contract/imports.ts';

export const MAX_BODY_BYTES = 256 * 1024;
/** Imports read a whole spreadsheet and check every row in one transaction: they get more room and time. */
const IMPORT_PATH = /^\/api\/v1\/imports\//;
const IMPORT_DEADLINE_MS = 5 * 60_000;

export interface AppDeps {
  db: Db;
  hub: StreamHub;
  probe: HealthProbe;
  heartbeatMs?: number;
  /** TAKT_TRUST_PROXY: believe X-Forwarded-Proto/-Host (secure cookies, same-origin checks). */
  trustProxy?: boolean;
  /** What-if planning off the HTTP thread (server/system.ts wires the worker side in). */
  previewer: PlanPreviewer;
  /** Capable-to-promise quotes on the same what-if thread. */
  quotes: QuotePlanner;
  /** Operations planned to start within this many minutes may no longer be moved by planners. */
  frozenMinutes: number;
  /** A request not answered within this many ms gets 503 (TAKT_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
  /** Outbound channels: loopback rule, public URL for links, clock (tests pass their own to the tasks). */
  channels?: DeliveryDeps;
}

const defaultChannelDeps: DeliveryDeps = { allowLoopback: false, publicUrl: '', now: () => new Date(), random: Math.random };
/** One middleware for the paths matching `pattern`, another for the rest. */
function byPath(pattern: RegExp, matching: MiddlewareHandler, other: MiddlewareHandler): MiddlewareHandler {
  return (c, next) => (pattern.test(c.req.path) ? matching(c, next) : other(c, next));
}

/** The JSON API under /api/v1. The UI is mounted beside it by `http-server.ts`. */
export function createApi(deps: AppDeps) {
  const { db } = deps;
  // Shared so that a logout takes effect on every route at once.
  const principals = new PrincipalCache();
  const scoped = new Hono()
    .use(authenticate({ db, cache: principals }))
    .use(plantScope({ db }))
    .route('/', masterDataRoutes({ db }))
    .route('/orders', orderRoutes({ db }))
    .route('/events', floorEventRoutes({ db }))
    .route('/andon', andonRoutes({ db }))
    .route('/escalation', escalationRoutes({ db }))
    .route('/notifications', notificationRoutes({ db }))
    .route('/operators', operatorRoutes({ db }))
    .route('/', boardRoutes({ db }))
    .route('/schedule', scheduleRoutes({ db, previewer: deps.previewer, frozenMinutes: deps.frozenMinutes }))
    .route('/pins', pinRoutes({ db, frozenMinutes: deps.frozenMinutes }))
    .route('/quotes', quoteRoutes({ db, planner: deps.quotes }))
    .route('/floor', floorRoutes({ db }))
    .route('/kpis', kpiRoutes({ db }))
    .route('/audit', auditRoutes({ db }))
    .route('/screens', screenRoutes({ db }))
    .route('/quality', qualityRoutes({ db }))
    .route('/', materialRoutes({ db }))
    .route('/', channelRoutes({ db, deps: deps.channels ?? defaultChannelDeps }))
    .route('/imports', importRoutes({ db }))
    .route('/stream', streamRoutes({ hub: deps.hub, heartbeatMs: deps.heartbeatMs }));

  const trustProxy = deps.trustProxy ?? false;
  const api = new Hono()
    // JSON is never a page: it may load nothing and be framed nowhere.
    .use(secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] }, referrerPolicy: 'no-referrer', crossOriginResourcePolicy: 'same-origin' }))
    .use(rejectUnstorablePath)
    .use(refuseCrossSite(trustProxy))
    .use(byPath(IMPORT_PATH, limitBody({ maxBytes: IMPORT_MAX_BYTES, message: `the file exceeds ${IMPORT_MAX_BYTES} bytes (10 MB): split it into smaller files` }), limitBody({ maxBytes: MAX_BODY_BYTES })))
    .use(byPath(IMPORT_PATH, answerDeadline(Math.max(IMPORT_DEADLINE_MS, deps.requestTimeoutMs ?? 0)), answerDeadline(deps.requestTimeoutMs ?? 15_000)))
    // JSON only: streams send `no-transform` and must not be buffered by a compressor.
    .use(compress({ contentTypeFilter: /^application\/json/ }))
    .use(jsonLength)
    .get('/openapi.json', (c) => c.json(openApiDocument()))
    .route('/health', healthRoutes({ db, probe: deps.probe, principals }))
    .route('/auth', authRoutes({ db, principals, trustProxy }))
    // Before the plant scope: a token granted several plants lists them here to choose one.
    .route('/plants', new Hono().use(authenticate({ db, cache: principals })).route('/', plantRoutes({ db })))
    .route('/', scoped);

  const app = new Hono().route('/api/v1', api);
  app.all('/api/*', (c) => {
    const body: ErrorBody = { error: { code: 'not_found', message: `no endpoint ${c.req.method} ${c.req.path}` } };
    return c.json(body, 404);
  });
  app.onError(onError);
  return app;
}
