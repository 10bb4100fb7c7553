// Concord: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Edit an article in place: load the edit form into the article instead of leaving the page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.edit-link");
    if (!link || !link.dataset.fragment) return;
    var holder = link.closest("article.provision, section.division");
    if (!holder) return;
    event.preventDefault();
    fetch(link.dataset.fragment, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var box = document.createElement("div");
        box.className = "inline-editor";
        box.innerHTML = html;
        var target = holder.tagName === "SECTION" ? holder.querySelector(".division-heading") : holder;
        target.insertAdjacentElement("afterend", box);
        if (holder.tagName !== "SECTION") holder.hidden = true;
        var first = box.querySelector("textarea");
        if (first) first.focus();
        box.querySelector(".cancel-edit").addEventListener("click", function (e) {
          e.preventDefault();
          box.remove();
          holder.hidden = false;
          link.focus();
        });
      })
      .catch(function () { window.location = link.href; });
  });
})();
