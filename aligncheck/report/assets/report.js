/* aligncheck report: filters, search and reviewer marks. No network; marks stay in this browser
   (localStorage) until exported as JSON. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("config").textContent);
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var fmt = function (template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  };

  /* ---- filters and search ---- */
  var agencySel = $("#f-agency"), principleSel = $("#f-principle"), search = $("#f-search");

  function matchesText(el, q) {
    return !q || el.textContent.toLowerCase().indexOf(q) !== -1;
  }

  function applyFilters() {
    var agency = agencySel.value, principle = principleSel.value;
    var q = search.value.trim().toLowerCase();
    var kinds = {};
    $$(".f-kind").forEach(function (box) { kinds[box.value] = box.checked; });
    var shown = 0, findings = $$("article.finding");
    findings.forEach(function (art) {
      var agencies = art.getAttribute("data-agencies").split("|");
      var ok = (!agency || agencies.indexOf(agency) !== -1) &&
        (!principle || art.getAttribute("data-principle") === principle) &&
        kinds[art.getAttribute("data-kind")] !== false && matchesText(art, q);
      art.hidden = !ok;
      if (ok) { shown += 1; }
    });
    $$("section.kind").forEach(function (sec) {
      sec.hidden = $$("article.finding", sec).every(function (a) { return a.hidden; });
    });
    $$(".principle-block, .change-detail, table.changes tr[data-principle], table.matrix tbody tr").forEach(function (el) {
      el.hidden = !!principle && el.getAttribute("data-principle") !== principle;
    });
    $$("table.matrix [data-agency], .cov, table.definitions tr[data-agency]").forEach(function (el) {
      el.hidden = !!agency && el.getAttribute("data-agency") !== agency;
    });
    $$(".cov").forEach(function (cov) {
      if (cov.hidden) { return; }
      var figures = $$("figure.ev", cov), any = false;
      figures.forEach(function (fig) {
        fig.hidden = !matchesText(fig, q);
        if (!fig.hidden) { any = true; }
      });
      if (q && !any) { cov.hidden = true; }
    });
    $("#f-count").textContent = fmt(config.words.visible, { shown: shown, total: findings.length });
  }

  $("#filters").addEventListener("input", applyFilters);
  $("#filters").addEventListener("change", applyFilters);
  $("#filters").addEventListener("submit", function (ev) { ev.preventDefault(); });
  $("#f-reset").addEventListener("click", function () {
    agencySel.value = ""; principleSel.value = ""; search.value = "";
    $$(".f-kind").forEach(function (box) { box.checked = true; });
    applyFilters();
  });

  /* ---- reviewer marks ---- */
  var storageKey = "aligncheck-feedback:" + config.reportKey;
  var memory = {};
  function load() {
    try {
      var raw = window.localStorage.getItem(storageKey);
      return raw ? JSON.parse(raw) : {};
    } catch (e) { return memory; }
  }
  function save(marks) {
    memory = marks;
    try { window.localStorage.setItem(storageKey, JSON.stringify(marks)); } catch (e) { /* memory only */ }
  }

  function describe(span, verdict) {
    var mark = { key: span.getAttribute("data-key"), target: span.getAttribute("data-target"), verdict: verdict };
    ["finding", "kind", "principle", "doc", "passage", "stance", "agency", "sha256"].forEach(function (k) {
      var v = span.getAttribute("data-" + k);
      if (v !== null && v !== "") { mark[k] = v; }
    });
    if (span.getAttribute("data-near_miss") === "1") { mark.near_miss = true; }
    if (mark.target === "evidence") {
      var quote = $("blockquote", span.closest("figure"));
      mark.text = quote ? quote.textContent : "";
    } else {
      var summary = $(".summary", span.closest("article"));
      mark.summary = summary ? summary.textContent : "";
    }
    mark.marked_at = new Date().toISOString();
    return mark;
  }

  function paint() {
    var marks = load(), n = Object.keys(marks).length;
    $$(".marks").forEach(function (span) {
      var mark = marks[span.getAttribute("data-key")];
      $$("button.mark", span).forEach(function (b) {
        b.setAttribute("aria-pressed", mark && mark.verdict === b.getAttribute("data-verdict") ? "true" : "false");
      });
    });
    $("#marks-count").textContent = fmt(config.words.marks_count, { n: n });
    $("#export-marks").disabled = n === 0;
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("button.mark");
    if (!button) { return; }
    var span = button.closest(".marks"), key = span.getAttribute("data-key");
    var verdict = button.getAttribute("data-verdict"), marks = load();
    if (marks[key] && marks[key].verdict === verdict) { delete marks[key]; }
    else { marks[key] = describe(span, verdict); }
    save(marks);
    paint();
  });

  function exportMarks() {
    var marks = load(), keys = Object.keys(marks).sort();
    var data = {
      format: config.format, version: config.version, report_key: config.reportKey,
      report: config.report, exported_at: new Date().toISOString(),
      marks: keys.map(function (k) { return marks[k]; })
    };
    var blob = new Blob([JSON.stringify(data, null, 1) + "\n"], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "aligncheck-feedback-" + config.reportKey + ".json";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  $("#export-marks").addEventListener("click", exportMarks);
  $("#clear-marks").addEventListener("click", function () {
    if (window.confirm(config.words.clear_confirm)) { save({}); paint(); }
  });

  applyFilters();
  paint();
})();
