// The incidents map: Leaflet over shipped outlines, no tile layer, nothing from the network.
(function () {
  "use strict";
  function start() {
    var el = document.getElementById("map");
    if (!el) { return; }
    if (typeof L === "undefined") { el.textContent = el.dataset.missing; return; }
    var arabic = document.documentElement.lang === "ar";
    var markers = JSON.parse(document.getElementById("incident-markers").textContent || "[]");
    var map = L.map(el, { zoomSnap: 0.25, minZoom: 3, maxZoom: 12, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth · Leaflet");
    map.fitBounds([[32.2, 35.5], [37.4, 42.4]]);
    fetch(el.dataset.countries, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (geo) {
        L.geoJSON(geo, { interactive: false, style: function (f) {
          var syria = f.properties && f.properties.iso_a3 === "SYR";
          return { color: "#5b6575", weight: syria ? 1.6 : 0.8, fillColor: syria ? "#eef3f7" : "#f6f6f2", fillOpacity: 1 };
        } }).addTo(map).bringToBack();
      }).catch(function () {});
    fetch(el.dataset.governorates, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (geo) {
        L.geoJSON(geo, { pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 2, color: "#9aa3b0", weight: 1, interactive: false })
            .bindTooltip(arabic && f.properties.name_ar ? f.properties.name_ar : f.properties.name,
              { permanent: true, direction: arabic ? "left" : "right", className: "gov-label" });
        } }).addTo(map);
      }).catch(function () {});
    // Incidents at the same place are spread on a small ring (in screen pixels), so each stays clickable.
    var groups = {};
    markers.forEach(function (m) {
      var key = m.lat.toFixed(3) + "," + m.lon.toFixed(3);
      (groups[key] = groups[key] || []).push(m);
    });
    var placed = [];
    Object.keys(groups).forEach(function (key) {
      var group = groups[key];
      group.forEach(function (m, k) {
        var link = document.createElement("a");
        link.href = "/incidents/" + encodeURIComponent(m.id);
        link.textContent = m.place + " · " + (m.from || "") + (m.to && m.to !== m.from ? " – " + m.to : "");
        var box = document.createElement("div");
        box.appendChild(link);
        var info = document.createElement("div");
        info.textContent = (m.agents || []).join(", ") + " · " + m.sources + " " + el.dataset.labelSources;
        box.appendChild(info);
        var angle = 2 * Math.PI * k / group.length;
        var shift = group.length > 1 ? L.point(Math.cos(angle) * 16, Math.sin(angle) * 16) : L.point(0, 0);
        var marker = L.circleMarker([m.lat, m.lon], { radius: 6 + Math.min(m.sources, 6), color: "#0b5d7a",
          weight: 2, fillColor: "#0b5d7a", fillOpacity: 0.35, className: "incident-marker" })
          .bindPopup(box).addTo(map);
        placed.push({ marker: marker, home: L.latLng(m.lat, m.lon), shift: shift });
      });
    });
    function spread() {
      placed.forEach(function (p) {
        p.marker.setLatLng(map.layerPointToLatLng(map.latLngToLayerPoint(p.home).add(p.shift)));
      });
    }
    map.on("zoomend", spread);
    spread();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
