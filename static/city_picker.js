// Filter a city picker's jurisdictions by name or code as one types; chosen ones stay visible.
document.querySelectorAll('[data-city-picker]').forEach(function (picker) {
  var input = picker.querySelector('[data-city-filter]');
  if (!input) { return; }
  input.addEventListener('input', function () {
    var query = input.value.trim().toLowerCase();
    picker.querySelectorAll('[data-search]').forEach(function (item) {
      var box = item.querySelector('input');
      var chosen = (box && box.checked) || item.selected;
      var match = !query || item.getAttribute('data-search').toLowerCase().indexOf(query) !== -1;
      item.hidden = !(match || chosen);
    });
    picker.querySelectorAll('fieldset, optgroup').forEach(function (group) {
      group.hidden = !group.querySelector('[data-search]:not([hidden])');
    });
  });
});
