/* diplograph web app: draws the embedded Plotly figures, wires clicks and the write forms. */
(function () {
  "use strict";

  var TOKEN_KEY = "diplograph-token";
  var worldPromise = null;

  function world() {
    if (!worldPromise) {
      worldPromise = fetch("/geo/countries.json").then(function (r) {
        if (!r.ok) throw new Error("world outlines unavailable (" + r.status + ")");
        return r.json();
      });
    }
    return worldPromise;
  }

  function needsWorld(figure) {
    return figure.data.some(function (t) { return t.geojson === "@world"; });
  }

  function resolveWorld(figure, geo) {
    var codes = geo.features.map(function (f) { return f.properties.code; });
    figure.data.forEach(function (t) {
      if (t.geojson === "@world") t.geojson = geo;
      if (t.locations === "@all") t.locations = codes;
      if (t.z === "@zeros") t.z = codes.map(function () { return 0; });
    });
    return figure;
  }

  function onClick(div, kind) {
    div.on("plotly_click", function (ev) {
      var point = ev && ev.points && ev.points[0];
      if (!point) return;
      var data = point.customdata;
      if (kind === "actor" && Array.isArray(data) && data[0]) {
        window.location.href = "/actors/" + encodeURIComponent(data[0]);
      } else if (kind === "map" && typeof data === "string") {
        window.location.href = "/events?location=" + encodeURIComponent(data);
      }
    });
  }

  function draw(div) {
    var source = document.getElementById(div.getAttribute("data-figure"));
    if (!source || typeof Plotly === "undefined") return;
    var figure = JSON.parse(source.textContent);
    var config = {
      responsive: true,
      displaylogo: false,
      topojsonURL: "/geo/topojson/",  // served by the app: plotly.js must not reach its CDN
      scrollZoom: figure.click === "actor",
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
    };
    var ready = needsWorld(figure)
      ? world().then(function (geo) { return resolveWorld(figure, geo); })
      : Promise.resolve(figure);
    ready
      .then(function (fig) { return Plotly.newPlot(div, fig.data, fig.layout, config); })
      .then(function () {
        if (figure.click) onClick(div, figure.click);
        div.setAttribute("data-drawn", "true");
      })
      .catch(function (err) {
        div.textContent = "The chart could not be drawn: " + err.message;
        div.classList.add("chart-error");
      });
  }

  function scrollToEvidence() {
    document.querySelectorAll(".article-text").forEach(function (box) {
      var mark = box.querySelector("mark");
      if (mark) box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - 48);
    });
  }

  function remember(form) {
    var input = form.querySelector("input.token");
    if (!input) return "";
    try { if (!input.value) input.value = sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { /* private mode */ }
    return input;
  }

  function send(url, options, token, status) {
    options.headers = Object.assign({ Authorization: "Bearer " + token }, options.headers || {});
    status.textContent = "Working…";
    status.className = "status";
    return fetch(url, options).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) {
          var msg = (body && body.detail) || r.statusText;
          status.textContent = "Refused (" + r.status + "): " + (typeof msg === "string" ? msg : JSON.stringify(msg));
          status.className = "status error";
          throw new Error(msg);
        }
        try { sessionStorage.setItem(TOKEN_KEY, token); } catch (e) { /* private mode */ }
        return body;
      });
    });
  }

  function wireCorrections() {
    var form = document.getElementById("correct-form");
    var status = document.getElementById("correct-status");
    if (!form || !status) return;
    var tokenInput = remember(form);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = {};
      ["type", "mode", "date", "actor", "recipient", "note"].forEach(function (name) {
        var value = form.elements[name].value.trim();
        if (value) body[name] = value;
      });
      if (form.elements["delete"].checked) body["delete"] = true;
      send("/api/events/" + encodeURIComponent(form.getAttribute("data-event")) + "/corrections", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }, tokenInput.value, status).then(function (result) {
        if (result.event) window.location.reload();
        else window.location.href = "/events";
      }).catch(function () {});
    });
    document.querySelectorAll("button.undo").forEach(function (button) {
      button.addEventListener("click", function () {
        var token = tokenInput.value;
        if (!token) { status.textContent = "Type the token first."; status.className = "status error"; return; }
        send("/api/corrections/" + button.getAttribute("data-correction"), { method: "DELETE" }, token, status)
          .then(function () { window.location.reload(); }).catch(function () {});
      });
    });
  }

  function wireIngest() {
    var form = document.getElementById("ingest-form");
    var status = document.getElementById("ingest-status");
    var report = document.getElementById("ingest-report");
    if (!form || !status) return;
    var tokenInput = remember(form);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var file = form.elements["file"].files[0];
      var url = form.elements["url"].value.trim();
      var request;
      if (file) {
        var data = new FormData();
        data.append("file", file, file.name);
        request = send("/api/ingest", { method: "POST", body: data }, tokenInput.value, status);
      } else if (url) {
        request = send("/api/ingest/url", {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ url: url }),
        }, tokenInput.value, status);
      } else {
        status.textContent = "Choose a file or give a URL.";
        status.className = "status error";
        return;
      }
      request.then(function (result) {
        status.textContent = "Ingested: " + (result.stored || 0) + " new article(s) of " + (result.articles_read || 0) + " read, " + (result.events || 0) + " event(s).";
        status.className = "status ok";
        report.textContent = JSON.stringify(result, null, 2);
        report.hidden = false;
      }).catch(function () {});
    });
  }

  document.querySelectorAll("[data-figure]").forEach(draw);
  scrollToEvidence();
  wireCorrections();
  wireIngest();
})();
