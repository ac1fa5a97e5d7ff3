// The incidents map: Leaflet over shipped outlines, no tile layer, nothing from the network.
(function () {
  "use strict";
  function start() {
    var el = document.getElementById("map");
    if (!el) { return; }
    if (typeof L === "undefined") { el.textContent = el.dataset.missing; return; }
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
            .bindTooltip(f.properties.name, { permanent: true, direction: "right", className: "gov-label" });
        } }).addTo(map);
      }).catch(function () {});
    markers.forEach(function (m) {
      var link = document.createElement("a");
      link.href = "/incidents/" + encodeURIComponent(m.id);
      link.textContent = m.place + " · " + (m.from || "") + (m.to && m.to !== m.from ? " – " + m.to : "");
      var box = document.createElement("div");
      box.appendChild(link);
      var info = document.createElement("div");
      info.textContent = (m.agents || []).join(", ") + " · " + m.sources + " " + el.dataset.labelSources;
      box.appendChild(info);
      L.circleMarker([m.lat, m.lon], { radius: 7 + Math.min(m.sources, 6), color: "#0b5d7a", weight: 2,
        fillColor: "#0b5d7a", fillOpacity: 0.35, className: "incident-marker" })
        .bindPopup(box).addTo(map);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
