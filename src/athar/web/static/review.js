// The review queue from the keyboard: j / k (or the arrows) move, a accepts, r rejects, e opens the
// correction form, n adds the selected text as a claim, Esc closes a form. A selection inside the
// report's text fills the open form's span with character offsets into the report's text, counted
// in code points as the server counts them. Without this script the forms still post.
(function () {
  "use strict";

  var review = document.getElementById("review");
  if (!review) { return; }
  var article = document.getElementById("report-text");
  var forms = { e: document.getElementById("form-corrected"), n: document.getElementById("form-added") };

  function codePoints(s) { return Array.from(s).length; }

  // Offsets [start, end) of the current selection in the article's text, or null.
  function selectionOffsets() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return null; }
    var range = sel.getRangeAt(0);
    if (!article.contains(range.startContainer) || !article.contains(range.endContainer)) { return null; }
    var before = document.createRange();
    before.setStart(article, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var start = codePoints(before.toString());
    var end = start + codePoints(range.toString());
    // Leave out the spaces and line breaks selected at either end.
    var text = Array.from(article.textContent);
    while (start < end && /\s/.test(text[start])) { start += 1; }
    while (end > start && /\s/.test(text[end - 1])) { end -= 1; }
    return end > start ? [start, end] : null;
  }

  function openForm() {
    if (forms.e && !forms.e.hidden) { return forms.e; }
    if (forms.n && !forms.n.hidden) { return forms.n; }
    return null;
  }

  function preview(form) {
    var start = parseInt(form.elements.start.value, 10);
    var end = parseInt(form.elements.end.value, 10);
    var out = form.querySelector("[data-span=preview]");
    if (!out) { return; }
    var text = Array.from(article.textContent);
    out.textContent = (start >= 0 && end > start && end <= text.length) ? text.slice(start, end).join("") : "";
  }

  function fillSpan(form, offsets) {
    if (!form || !offsets) { return; }
    form.elements.start.value = offsets[0];
    form.elements.end.value = offsets[1];
    preview(form);
  }

  function show(form) {
    Object.keys(forms).forEach(function (k) { if (forms[k]) { forms[k].hidden = forms[k] !== form; } });
    var hint = document.getElementById("select-first");
    if (hint) { hint.hidden = true; }
    if (form) {
      preview(form);
      var first = form.elements.speaker;
      if (first) { first.focus(); first.select(); }
    }
  }

  function click(id) {
    var el = document.getElementById(id);
    if (el) { el.click(); }
  }

  function go(attr) {
    var url = review.getAttribute(attr);
    if (url) { window.location.assign(url); }
  }

  document.addEventListener("selectionchange", function () {
    var form = openForm();
    var offsets = form ? selectionOffsets() : null;
    if (offsets) { fillSpan(form, offsets); }
  });

  Object.keys(forms).forEach(function (k) {
    var form = forms[k];
    if (!form) { return; }
    ["start", "end"].forEach(function (n) {
      form.elements[n].addEventListener("input", function () { preview(form); });
    });
    var close = form.querySelector("[data-close]");
    if (close) { close.addEventListener("click", function () { show(null); }); }
  });

  var editButton = document.getElementById("review-edit");
  if (editButton) { editButton.addEventListener("click", function () { show(forms.e); }); }
  var addButton = document.getElementById("review-add");
  if (addButton) {
    addButton.addEventListener("click", function () {
      var offsets = selectionOffsets();
      if (!offsets && forms.n && forms.n.hidden) {
        var hint = document.getElementById("select-first");
        if (hint) { hint.hidden = false; }
        return;
      }
      show(forms.n);
      fillSpan(forms.n, offsets);
    });
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) { return; }
    var tag = ev.target && ev.target.tagName;
    var typing = tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (ev.target && ev.target.isContentEditable);
    if (ev.key === "Escape") { show(null); return; }
    if (typing) { return; }
    var rtl = review.getAttribute("data-dir") === "rtl";
    var key = ev.key;
    if (key === "j" || key === "ArrowDown" || key === (rtl ? "ArrowLeft" : "ArrowRight")) {
      go("data-next");
    } else if (key === "k" || key === "ArrowUp" || key === (rtl ? "ArrowRight" : "ArrowLeft")) {
      go("data-prev");
    } else if (key === "a") {
      click("review-accepted");
    } else if (key === "r") {
      click("review-rejected");
    } else if (key === "e") {
      click("review-edit");
    } else if (key === "n") {
      click("review-add");
    } else {
      return;
    }
    ev.preventDefault();
  });

  // Scroll the report's box (not the page) to the claim under review.
  var focus = article.querySelector(".hl-focus");
  if (focus) {
    article.scrollTop = Math.max(0, focus.offsetTop - article.offsetTop - article.clientHeight / 3);
  }
})();
