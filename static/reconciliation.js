// A click anywhere on a matrix row opens that row's comparison; the link in its first cell
// stays the keyboard and screen-reader way in.
document.addEventListener("click", (event) => {
  const row = event.target.closest("tr[data-href]");
  if (!row || event.target.closest("a, button, input, select, label")) return;
  if (window.getSelection && String(window.getSelection())) return;
  window.location.href = row.dataset.href;
});
