"""The HTML report's inline style and script: constants, with no dataset text in them.

The script only reads the findings table already in the page (textContent, never innerHTML), so dataset
text never passes through it as code.
"""

from __future__ import annotations

STYLE = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --accent: #0969da;
        --error: #cf222e; --warning: #9a6700; --info: #0969da; --ok: #1a7f37; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0;
       background: #fff; }
header { padding: 20px 32px 12px; border-bottom: 1px solid var(--line); background: var(--bg); }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: var(--muted); }
main { padding: 8px 32px 48px; max-width: 1400px; }
nav a { margin-right: 14px; }
a { color: var(--accent); }
h2 { margin: 32px 0 10px; font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 22px 0 6px; font-size: 15px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 16px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 150px; background: #fff; }
.card .value { font-size: 24px; font-weight: 600; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card.error .value { color: var(--error); } .card.warning .value { color: var(--warning); }
.card.info .value { color: var(--info); } .card.ok .value { color: var(--ok); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(660px, 1fr)); gap: 8px 28px; }
svg text { font: 12px system-ui, sans-serif; fill: var(--fg); }
svg rect { fill: #54aeff; } svg .bar:hover rect, svg rect:hover { fill: var(--accent); }
svg .value { fill: var(--muted); }
svg .axis { stroke: var(--muted); }
svg .limit { stroke: var(--error); stroke-width: 2; stroke-dasharray: 5 4; }
svg .limit-label { fill: var(--error); font-weight: 600; }
.caption, .empty { color: var(--muted); margin: 2px 0 10px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); position: sticky; top: 0; }
th[data-sort] { cursor: pointer; user-select: none; }
th[data-sort]::after { content: " \\2195"; color: var(--muted); }
th.asc::after { content: " \\2191"; } th.desc::after { content: " \\2193"; }
td.message { max-width: 640px; overflow-wrap: anywhere; }
td.path, td.pointer { font-family: ui-monospace, monospace; overflow-wrap: anywhere; max-width: 280px; }
.sev { font-weight: 600; } .sev-error { color: var(--error); } .sev-warning { color: var(--warning); }
.sev-info { color: var(--info); }
.filters { display: flex; gap: 10px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
.filters input { padding: 5px 8px; min-width: 320px; border: 1px solid var(--line); border-radius: 6px; }
.filters select { padding: 4px; }
.example { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; overflow: hidden; }
.example .where { background: var(--bg); padding: 4px 10px; font-family: ui-monospace, monospace;
                  font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
.example .msg { padding: 6px 10px 0; }
.example pre { margin: 0; padding: 8px 10px; white-space: pre-wrap; overflow-wrap: anywhere;
               font: 12px/1.5 ui-monospace, monospace; max-height: 260px; overflow: auto; }
mark { background: #fff3b0; border-bottom: 2px solid #d4a72c; }
details.doc pre { white-space: pre-wrap; background: var(--bg); padding: 10px; border-radius: 6px; }
.note { color: var(--muted); font-style: italic; }
.table-wrap { max-height: 720px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
"""

# Sorting and filtering of the findings table. It reads cells with textContent and only toggles
# `hidden` and reorders rows: dataset text is never parsed as HTML or run.
SCRIPT = """
(function () {
  var table = document.getElementById('findings');
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById('filter-text');
  var severity = document.getElementById('filter-severity');
  var counter = document.getElementById('filter-count');
  function apply() {
    var needle = search.value.toLowerCase();
    var level = severity.value;
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!level || row.getAttribute('data-severity') === level) &&
               (!needle || row.textContent.toLowerCase().indexOf(needle) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    counter.textContent = shown + ' of ' + rows.length + ' shown';
  }
  search.addEventListener('input', apply);
  severity.addEventListener('change', apply);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, index) {
    if (!cell.hasAttribute('data-sort')) { return; }
    cell.addEventListener('click', function () {
      var numeric = cell.getAttribute('data-sort') === 'number';
      var ascending = !cell.classList.contains('asc');
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.classList.remove('asc', 'desc'); });
      cell.classList.add(ascending ? 'asc' : 'desc');
      rows.sort(function (a, b) {
        var x = a.cells[index].getAttribute('data-key') || a.cells[index].textContent;
        var y = b.cells[index].getAttribute('data-key') || b.cells[index].textContent;
        var order = numeric ? (Number(x) - Number(y)) : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
  document.documentElement.setAttribute('data-report-ready', String(rows.length));
})();
"""
