/*
 * Search index on demand.
 *
 * The theme downloads the whole search index (a few kB for every page in the site) as soon as
 * any page loads, so with a thousand topics every first visit would pay for the whole library.
 * This file is loaded before the theme's bundle. It holds back the theme's request for the
 * index until the reader shows they want to search (focuses the search box, opens search, or
 * arrives with a ?q= search link), then lets it go: search then works as before, after a
 * moment of "Initializing search".
 *
 * It cannot start from a data-module attribute like the page scripts: the theme asks for the
 * index while its bundle starts, so the hold must be in place before that.
 */
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json(\?.*)?$/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var held = [];
  var wanted = /[?&]q=/.test(window.location.search);

  function release() {
    if (wanted && held.length === 0) {
      return;
    }
    wanted = true;
    held.splice(0).forEach(function (request) {
      send.apply(request.xhr, request.args);
    });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.searchIndexOnDemand = INDEX.test(String(url));
    return open.apply(this, arguments);
  };

  XMLHttpRequest.prototype.send = function () {
    if (this.searchIndexOnDemand && !wanted) {
      held.push({ xhr: this, args: arguments });
      return undefined;
    }
    return send.apply(this, arguments);
  };

  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest("[data-md-component='search-query']")) {
      release();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search" && event.target.checked) {
      release();
    }
  });
})();
