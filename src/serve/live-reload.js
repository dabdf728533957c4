// docgen serve: live reload. The preview server adds this script to every HTML page it serves
// (a built site never contains it). It asks the server for news after the page's generation
// (long polling), then reloads the page, swaps the stylesheets that changed, or shows the
// overlay listing the site's errors until they are fixed. A hidden tab stops asking, so open
// tabs do not hold the browser's few connections to the server, and asks again when shown.
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = Number(script.getAttribute("data-generation"));
  var endpoint = script.getAttribute("data-endpoint");
  var pending = null; // the request in flight
  var timer = null; // the retry waiting to run
  var delay = 250;

  function showOverlay(html) {
    var old = document.getElementById("docgen-overlay");
    if (old) old.remove();
    var holder = document.createElement("div");
    holder.innerHTML = html;
    document.body.appendChild(holder.firstElementChild);
  }

  function swapStylesheets(files) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      if (files.indexOf(url.pathname.replace(/^\//, "")) < 0) return;
      url.searchParams.set("docgen", String(generation));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      // Keep the old sheet until the new one applies, so the page never flashes unstyled.
      fresh.onload = fresh.onerror = function () { link.remove(); };
      link.after(fresh);
    });
  }

  // Acts on the server's answer; false when the page is going away.
  function handle(message) {
    if (message.generation === generation) return true;
    if (message.overlay) {
      generation = message.generation;
      showOverlay(message.overlay);
      return true;
    }
    if (message.action === "css" && message.generation === generation + 1) {
      generation = message.generation;
      swapStylesheets(message.css);
      return true;
    }
    location.reload();
    return false;
  }

  function poll() {
    timer = null;
    if (pending || document.visibilityState === "hidden") return;
    var controller = new AbortController();
    pending = controller;
    fetch(endpoint + "?since=" + generation, { cache: "no-store", signal: controller.signal })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (message) {
        pending = null;
        delay = 250;
        if (handle(message)) poll();
      })
      .catch(function () {
        // The server is busy, restarting or gone: ask again, less and less often.
        pending = null;
        if (document.visibilityState !== "hidden" && !timer) timer = setTimeout(poll, delay);
        delay = Math.min(delay * 2, 5000);
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      if (pending) pending.abort();
    } else if (!pending && !timer) {
      poll();
    }
  });
  poll();
})();
