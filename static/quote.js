// Quoting by selection on an article's comment panel: select words in the article, press
// 「引用并提意见」, and the form gets the quote, the paragraph and a proposed text to edit.
// The form works without this file (the quote can be typed); no inline script (CSP).
(function () {
  "use strict";
  var button = document.getElementById("quote-selection");
  var body = document.querySelector(".reg-body[data-article]");
  var picked = null;
  var lastFill = null;

  function field(form, role) { return form && form.querySelector('[data-role="' + role + '"]'); }

  function paragraph(id) {
    return body && body.querySelector('p.para[data-provision="' + id + '"]');
  }

  function textOf(p) {
    var span = p && p.querySelector(".text");
    return span ? span.textContent : "";
  }

  // The current text of the chosen scope: the quote, the paragraph, or every paragraph.
  function scopeText(form) {
    var scope = field(form, "replaces").value;
    var quote = field(form, "quote").value;
    var target = field(form, "target").value;
    if (scope === "provision") {
      return Array.prototype.map.call(body.querySelectorAll("p.para"), function (p) {
        return (p.dataset.prefix || "") + textOf(p);
      }).join("\n");
    }
    if (scope === "quote" || (scope === "" && quote)) return quote;
    return textOf(paragraph(target));
  }

  function refill(form) {
    var proposed = field(form, "proposed");
    if (!proposed || !body) return;
    if (proposed.value !== "" && proposed.value !== lastFill) return;  // the user's own words
    lastFill = scopeText(form);
    proposed.value = lastFill;
  }

  if (button && body) {
    button.hidden = false;
    var hint = document.querySelector(".quote-hint");
    if (hint) hint.hidden = false;
    document.addEventListener("selectionchange", function () {
      var sel = window.getSelection();
      if (!sel || sel.isCollapsed || !sel.rangeCount) return;
      var range = sel.getRangeAt(0);
      var start = range.startContainer.parentElement;
      var end = range.endContainer.parentElement;
      var span = start && start.closest(".text");
      if (!span || !end || end.closest(".text") !== span || !body.contains(span)) return;
      var words = sel.toString().trim();
      if (!words) return;
      picked = { provision: span.closest("p.para").dataset.provision, words: words };
      button.disabled = false;
    });
    button.addEventListener("click", function () {
      var form = document.getElementById(button.dataset.form + "-form");
      if (!picked || !form) return;
      field(form, "target").value = picked.provision;
      field(form, "quote").value = picked.words;
      var kind = field(form, "kind");
      if (kind && kind.value === "general") kind.value = "amend";
      refill(form);
      var text = form.querySelector("textarea[name=body]");
      if (text) text.focus();
    });
    var form = document.getElementById(button.dataset.form + "-form");
    ["replaces", "target"].forEach(function (role) {
      var el = field(form, role);
      if (el) el.addEventListener("change", function () { refill(form); });
    });
  }

  // 「改用这段文字」 beside a quote that is no longer in the text.
  document.addEventListener("click", function (event) {
    var use = event.target.closest("button.use-nearest");
    if (!use) return;
    var input = document.getElementById(use.dataset.target);
    if (input) { input.value = use.dataset.value; input.removeAttribute("aria-invalid"); input.focus(); }
  });
})();
