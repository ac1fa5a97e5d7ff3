// The incidents timeline: each bar and label is placed from its data-left / data-width (percent of
// the axis). Set through the DOM, since the Content-Security-Policy allows no inline style attribute.
(function () {
  "use strict";
  function percent(value) {
    var n = parseFloat(value);
    return isFinite(n) ? Math.max(0, Math.min(100, n)) + "%" : null;
  }
  function start() {
    var timeline = document.getElementById("timeline");
    if (!timeline) { return; }
    Array.prototype.forEach.call(timeline.querySelectorAll("[data-left]"), function (el) {
      var left = percent(el.getAttribute("data-left"));
      var width = percent(el.getAttribute("data-width"));
      if (left) { el.style.marginLeft = left; }
      if (width) { el.style.width = width; }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
