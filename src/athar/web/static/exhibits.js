// Exhibit pages: a streamed upload with a progress bar, and the event form showing the fields of
// the chosen event. Without this script both forms still work as plain posts.
(function () {
  "use strict";

  function upload(form) {
    var input = document.getElementById("upload-file");
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    var button = document.getElementById("upload-submit");
    if (!input || !input.files || !input.files.length || !window.XMLHttpRequest) { return false; }
    var file = input.files[0];
    var params = new URLSearchParams();
    params.set("name", file.name);
    ["kind", "code", "parent"].forEach(function (k) {
      var v = form.elements[k] && form.elements[k].value.trim();
      if (v) { params.set(k, v); }
    });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/exhibits/upload?" + params.toString());
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", form.elements.csrf_token.value);
    bar.hidden = false;
    bar.value = 0;
    bar.setAttribute("data-state", "sending");
    button.disabled = true;
    status.textContent = "0%";
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        bar.value = Math.floor((e.loaded / e.total) * 100);
        status.textContent = bar.value + "% · " + Math.round(e.loaded / 1024) + " KiB";
      }
    };
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
      if (xhr.status === 200 && body && body.url) {
        bar.value = 100;
        bar.setAttribute("data-state", "done");
        status.textContent = status.getAttribute("data-done");
        window.location.assign(body.url);
        return;
      }
      fail(body && body.error ? body.error.message : xhr.statusText);
    };
    xhr.onerror = function () { fail(""); };
    function fail(message) {
      bar.setAttribute("data-state", "failed");
      button.disabled = false;
      status.textContent = status.getAttribute("data-failed") + (message ? ": " + message : "");
      status.classList.add("error");
    }
    xhr.send(file);
    return true;
  }

  function eventFields(select) {
    var form = select.form;
    var chosen = select.value;
    Array.prototype.forEach.call(form.querySelectorAll("label[data-actions]"), function (label) {
      var show = label.getAttribute("data-actions").split(" ").indexOf(chosen) >= 0;
      label.hidden = !show;
    });
  }

  function start() {
    var form = document.getElementById("upload-form");
    if (form) {
      form.addEventListener("submit", function (e) {
        if (upload(form)) { e.preventDefault(); }
      });
    }
    var action = document.getElementById("event-action");
    if (action) {
      action.addEventListener("change", function () { eventFields(action); });
      eventFields(action);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
