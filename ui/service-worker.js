/**
 * Lets a station terminal (or a TV) reload while the network is down: the app's own files are
 * cached at install, pages are fetched network-first and fall back to the last copy. The API and
 * the live stream are never touched: presses wait in the IndexedDB outbox, not in this cache.
 * Plain JS: SvelteKit keeps the service worker out of the app's type-check (different globals).
 */
import { build, files, version } from '$service-worker';

/** @type {ServiceWorkerGlobalScope} */
const sw = /** @type {any} */ (self);
const CACHE = `takt-${version}`;
const SHELL = `takt-shell-${version}`;
const ASSETS = [...build, ...files];
/** Written by the station page (see its service worker registration). */
const PAGES = 'takt-pages';

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(ASSETS))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE && k !== SHELL && k !== PAGES).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin || url.pathname.startsWith('/api/')) return;

  if (request.mode === 'navigate') {
    event.respondWith(
      (async () => {
        try {
          const response = await fetch(request);
          if (response.ok) {
            const copy = response.clone();
            void caches.open(SHELL).then((cache) => cache.put(url.pathname, copy));
          }
          return response;
        } catch (error) {
          const cache = await caches.open(SHELL);
          // Asset paths in the HTML are relative, so only the page's own copy will do. The page
          // that registered us was loaded before we existed: it stores itself in PAGES.
          const cached = (await cache.match(url.pathname)) ?? (await caches.open(PAGES).then((c) => c.match(url.pathname)));
          if (cached) return cached;
          throw error;
        }
      })(),
    );
    return;
  }

  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((cached) => cached ?? fetch(request)));
    return;
  }

  // Anything else of the app (e.g. /_app/env.js, not part of the build list): network first, last copy offline.
  event.respondWith(
    fetch(request).then(
      (response) => {
        if (response.ok) {
          const copy = response.clone();
          void caches.open(SHELL).then((cache) => cache.put(request, copy));
        }
        return response;
      },
      async (error) => (await caches.match(request)) ?? Promise.reject(error),
    ),
  );
});
