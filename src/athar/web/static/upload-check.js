// Refuse, before sending, a report file over the server's limit (the server checks again: 413).
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    var note = document.getElementById("upload-check");
    var limit = parseInt(form.dataset.maxBytes, 10);
    if (input && input.files.length && limit && input.files[0].size > limit) {
      event.preventDefault();
      note.textContent = form.dataset.tooLarge;
      note.hidden = false;
    }
  });
})();
