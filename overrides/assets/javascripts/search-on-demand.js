/*
 * Search index on demand.
 *
 * The theme downloads the whole search index (a few kB for every page in the site) and starts
 * its search worker as soon as any page loads, so with a thousand topics every first visit
 * would pay for the whole library. This file is loaded before the theme's bundle. It holds
 * back the theme's request for the index until the reader shows they want to search (focuses
 * the search box, opens search, or arrives with a ?q= search link), and gives the theme a
 * stand-in for the worker that starts the real one when the theme first talks to it. Search
 * then works as before, after a moment of "Initializing search".
 *
 * It cannot start from a data-module attribute like the page scripts: the theme asks for the
 * index and the worker while its bundle starts, so the stand-ins must be in place before that.
 */
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json(\?.*)?$/;
  var SEARCH_WORKER = /\/workers\/search\.[0-9a-f]+\.min\.js$/;
  var RealWorker = window.Worker;
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

  // A worker that starts when first sent a message (the theme sends its first one once it has
  // the index) and passes on everything the real worker says.
  function standInWorker(url, options) {
    var standIn = new EventTarget();
    var real = null;
    function start() {
      if (!real) {
        real = new RealWorker(url, options);
        ["message", "messageerror"].forEach(function (type) {
          real.addEventListener(type, function (event) {
            standIn.dispatchEvent(new MessageEvent(type, { data: event.data }));
          });
        });
        real.addEventListener("error", function () {
          standIn.dispatchEvent(new Event("error"));
        });
      }
      return real;
    }
    standIn.postMessage = function () {
      var worker = start();
      worker.postMessage.apply(worker, arguments);
    };
    standIn.terminate = function () {
      if (real) {
        real.terminate();
      }
    };
    return standIn;
  }

  if (RealWorker) {
    window.Worker = function (url, options) {
      if (SEARCH_WORKER.test(String(url))) {
        return standInWorker(url, options);
      }
      return new RealWorker(url, options);
    };
  }

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
