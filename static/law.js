// Concord: open a law at the article asked for (search results link to law pages with #target).
(function () {
  "use strict";
  var t = document.querySelector(".law-article.target");
  if (t) { t.scrollIntoView({block: "center"}); t.focus({preventScroll: true}); }
})();
