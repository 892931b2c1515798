/* qmsdoc staff portal: instant search and filters over the list on this page.
   Works offline and from file://: the data is the page itself (each row's data-search,
   data-kind and data-dept). Without JavaScript the whole list simply shows. */
(function () {
  "use strict";

  var form = document.querySelector("[data-filter]");
  var list = document.querySelector("[data-doc-list]");
  if (!form || !list) {
    return;
  }
  var input = document.getElementById("q");
  var dept = document.getElementById("dept");
  var count = document.getElementById("count");
  var none = document.getElementById("no-matches");
  var clear = form.querySelector(".clear");
  var kindButtons = Array.prototype.slice.call(form.querySelectorAll("[data-kind]"));
  var sections = Array.prototype.slice.call(list.querySelectorAll("[data-dept-section]"));
  var kind = "";

  // Full-width letters and digits fold to ASCII, case is ignored, and a "compact" form
  // without separators lets "gk09" or "GK 09" find SJE/ZY/GK-09.
  function fold(text) {
    return (text.normalize ? text.normalize("NFKC") : text).toLowerCase();
  }
  function compact(text) {
    return text.replace(/[\s\-\/_.·・、，,。（）()]+/g, "");
  }

  var rows = [];
  sections.forEach(function (section) {
    Array.prototype.forEach.call(section.querySelectorAll("[data-group]"), function (group) {
      Array.prototype.forEach.call(group.querySelectorAll("[data-doc]"), function (row) {
        var hay = fold(row.getAttribute("data-search") || "");
        rows.push({ el: row, group: group, section: section, hay: hay, flat: compact(hay),
                    kind: row.getAttribute("data-kind"), dept: row.getAttribute("data-dept") });
      });
    });
  });

  function termMatches(row, term) {
    if (row.hay.indexOf(term) !== -1) {
      return true;
    }
    var flat = compact(term);
    return flat !== "" && row.flat.indexOf(flat) !== -1;
  }

  function apply() {
    var terms = fold(input.value).split(/\s+/).filter(Boolean);
    var wantDept = dept ? dept.value : "";
    var filtering = terms.length > 0 || wantDept !== "" || kind !== "";
    var matched = 0;
    var groupHits = new Map();
    var sectionHits = new Map();
    rows.forEach(function (row) {
      var ok = (!wantDept || row.dept === wantDept) && (!kind || row.kind === kind) &&
        terms.every(function (term) { return termMatches(row, term); });
      row.match = ok;
      if (ok) {
        matched += 1;
        groupHits.set(row.group, true);
        sectionHits.set(row.section, true);
      }
    });
    rows.forEach(function (row) {
      // A procedure stays in view, dimmed, above the forms of it that match.
      var context = !row.match && row.kind === "procedure" && groupHits.has(row.group);
      row.el.hidden = !row.match && !context;
      row.el.classList.toggle("is-context", context);
    });
    sections.forEach(function (section) {
      section.hidden = !sectionHits.has(section);
      Array.prototype.forEach.call(section.querySelectorAll("[data-group]"), function (group) {
        group.hidden = !groupHits.has(group);
      });
    });
    var template = filtering ? count.getAttribute("data-matches") : count.getAttribute("data-all");
    count.textContent = template.replace("{n}", String(matched));
    none.hidden = matched > 0;
    if (clear) {
      clear.hidden = !filtering;
    }
  }

  function setKind(value) {
    kind = value;
    kindButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-kind") === value));
    });
  }

  input.addEventListener("input", apply);
  if (dept) {
    dept.addEventListener("change", apply);
  }
  kindButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      setKind(button.getAttribute("data-kind"));
      apply();
    });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    input.blur();
  });
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    input.value = "";
    if (dept) {
      dept.value = "";
    }
    setKind("");
    apply();
    input.focus();
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    } else if (event.key === "Escape" && target === input && input.value) {
      input.value = "";
      apply();
    }
  });

  // index.html?q=GK-09 opens with the search filled in (a link staff can share).
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) {
    input.value = params.get("q");
  }
  form.hidden = false;
  apply();
}());
