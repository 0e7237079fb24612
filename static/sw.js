// HyperLab's service worker: after one visit the lab opens and trains with
// the network off. scripts/offline.mjs fills in FILES (every file of the
// bundle, relative to this one) and VERSION (a hash of their contents) at
// build time; everything else is this file.
//
// - Install caches every file, or fails and leaves the old version in
//   charge: a half-filled cache is not offline-ready.
// - No skipWaiting(): a new version waits until no tab runs the old one, so
//   an update arrives on the next visit, never in the middle of a lesson.
// - Any page of the lab's folder is its index.html (the experiment lives
//   in the query); every other file is served from the cache, else fetched.
// - Paths are relative and caches carry the scope: the lab works from any
//   folder of any static host, beside other labs on the same origin.
const VERSION = '__VERSION__';
const FILES = __FILES__;
const PREFIX = `hyperlab:${self.registration.scope}:`;
const CACHE = PREFIX + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES.map((file) => new Request(file, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(
      keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE).map((key) => caches.delete(key)),
    )),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || !url.href.startsWith(self.registration.scope)) return;
  const navigation = request.mode === 'navigate';
  event.respondWith(
    caches.open(CACHE)
      .then((cache) => cache.match(navigation ? self.registration.scope : request, { ignoreSearch: navigation }))
      .then((hit) => hit ?? fetch(request)),
  );
});
