{% load static %}// The street-work page's service worker: keeps the page and its own files so that the page
// opens without a connection. It keeps nothing a worker records (the page keeps that,
// encrypted, in IndexedDB) and never touches the key or the sync: those go to the network.
const CACHE = "vru-street-v1";
const PAGE = "{% url 'programmes:street' %}";
const FILES = [
  "{% static 'govuk/govuk-frontend.min.css' %}",
  "{% static 'govuk/govuk-frontend.min.js' %}",
  "{% static 'govuk/assets/images/govuk-crest.svg' %}",
  "{% static 'vru/app.css' %}",
  "{% static 'vru/street.css' %}",
  "{% static 'vru/favicon.svg' %}",
  "{% static 'vru/init.js' %}",
  "{% static 'vru/place-picker.js' %}",
  "{% static 'vru/street-work.js' %}",
  "{% static 'vru/street-store.js' %}",
  "{% url 'programmes:street_manifest' %}",
];

async function keepPage(cache) {
  // signed in: the page itself; a redirect (to sign in) is not kept in its place
  const response = await fetch(PAGE, { redirect: "manual", credentials: "same-origin" });
  if (response.ok && response.type === "basic") {
    await cache.put(PAGE, response);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      await cache.addAll(FILES);
      await keepPage(cache);
      await self.skipWaiting();
    }),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && url.pathname === PAGE) {
    // the page: from the network when there is one (and kept), else the kept copy
    event.respondWith(
      fetch(request)
        .then(async (response) => {
          if (response.ok && !response.redirected) {
            const cache = await caches.open(CACHE);
            await cache.put(PAGE, response.clone());
          }
          return response;
        })
        .catch(async () => (await caches.match(PAGE)) || Response.error()),
    );
    return;
  }
  if (FILES.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((kept) => kept || fetch(request)));
  }
});
