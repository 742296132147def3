// Loaded before Material's bundle on every page (overrides/main.html), without defer, so it
// runs first. Material fetches the whole search index on every page load, searched or not
// (7.6 MB at 10,000 quotes): its request waits here until the reader starts to search
// (focuses the search box, opens it, or presses a search shortcut). Material also fetches and
// parses the whole sitemap.xml for every <link rel="alternate">, taking the Atom feed's for
// another language (2 MB at 10,000 quotes: some 600 ms of blocking time on a phone). Only
// instant navigation, link previews and versions use the sitemap; while none is on, that
// request is never sent. A file of its own rather than inline: 2 kB less in each of 10,000
// pages, cached after the first.
(function () {
  var fetchNow = window.fetch.bind(window), wanted, release;
  var asked = new Promise(function (resolve) { release = resolve; });
  function start() { if (!wanted) { wanted = true; release(); } }
  document.addEventListener("focusin", function (e) {
    if (e.target.closest && e.target.closest(".md-search")) start();
  });
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[for=__search], .md-search")) start();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" || e.key === "s" || e.key === "f" || e.key === "S" || e.key === "F") start();
  });
  if (/[?&][qh]=/.test(location.search)) start();  // arriving from a search: mark its words
  var index = /\/search\/search_index\.json$/, sitemap = /\/sitemap\.xml$/;
  var config = JSON.parse(document.getElementById("__config").textContent);
  var sitemapUsed = config.version || document.querySelector("[data-preview]") ||
    config.features.some(function (f) { return f.indexOf("navigation.instant") === 0; });
  var never = new Promise(function () {});
  function held(url) {
    if (index.test(url)) return asked;
    if (!sitemapUsed && sitemap.test(url)) return never;
  }
  window.fetch = function (resource, options) {
    var url = typeof resource === "string" ? resource : resource && resource.url;
    var wait = url && held(String(url));
    if (wait) {
      return wait.then(function () { return fetchNow(resource, options); });
    }
    return fetchNow(resource, options);
  };
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.__nnHeld = held(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments;
    if (!xhr.__nnHeld) return send.apply(xhr, args);
    xhr.__nnHeld.then(function () { send.apply(xhr, args); });
  };
})();
  
