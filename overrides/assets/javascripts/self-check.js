/*
 * Self-check: shows the advice that fits the reader's answers, in the browser only.
 *
 * The page already holds every question and every outcome card, written once from the
 * content. This script shows the questions one at a time, and as soon as the answers fix
 * the result it shows the cards that apply, most urgent first, with the answers that led
 * to them. The rules are the canonical JSON that generator/rules.py writes: ids and
 * conditions, no words. `result` here and `RuleSet.result` there must agree on every partial
 * and complete answer vector (the tests prove it in Chromium). Conditions are true, false or
 * null (not known yet). Answers are never stored, put in the URL or sent anywhere.
 */
(function () {
  "use strict";

  function and3(a, b) {
    if (a === false || b === false) return false;
    return a === null || b === null ? null : true;
  }

  function Answers(rules, given) {
    var asks = {};
    rules.questions.forEach(function (q) { asks[q.id] = q; });
    this.asks = asks;
    this.given = given;
    this.memo = {};
  }

  Answers.prototype.raw = function (question, answer) {
    if (!(question in this.given)) return null;
    var got = this.given[question];
    return Array.isArray(got) ? got.indexOf(answer) !== -1 : got === answer;
  };

  Answers.prototype.asked = function (question) {
    if (!(question in this.memo)) {
      var condition = this.asks[question].askedIf;
      this.memo[question] = condition ? value(condition, this) : true;
    }
    return this.memo[question];
  };

  Answers.prototype.complete = function () {
    for (var id in this.asks) {
      var asked = this.asked(id);
      if (asked === null || (asked && !(id in this.given))) return false;
    }
    return true;
  };

  function value(condition, answers) {
    var op = condition.op, parts = condition.of, seen = false, i, v;
    if (op === "always") return true;
    if (op === "is") {
      return and3(answers.asked(condition.question),
        answers.raw(condition.question, condition.answer));
    }
    if (op === "not") {
      v = value(parts, answers);
      return v === null ? null : !v;
    }
    if (op === "all") {
      for (i = 0; i < parts.length; i++) {
        v = value(parts[i], answers);
        if (v === false) return false;
        if (v === null) seen = true;
      }
      return seen ? null : true;
    }
    for (i = 0; i < parts.length; i++) {
      v = value(parts[i], answers);
      if (v === true) return op === "any";
      if (v === null) seen = true;
    }
    if (seen) return null;
    if (op === "any") return false;
    if (op === "none") return true;
    throw new Error("unknown operator " + op);
  }

  /* The outcome ids to show, most urgent first, or null while the answers do not fix them. */
  function result(rules, given) {
    var answers = new Answers(rules, given), shown = [], i, v, rule;
    for (i = 0; i < rules.outcomes.length; i++) {
      rule = rules.outcomes[i];
      v = value(rule.when, answers);
      if (v === null) return null;
      if (v) {
        shown.push(rule);
        if (rules.shows === "first") break;
      }
    }
    if (!shown.length) return null;
    shown.sort(function (a, b) { return a.rank - b.rank; });
    if (shown[0].rank > rules.floor && !answers.complete()) return null;
    return shown.map(function (r) { return r.id; });
  }

  /* The answered questions that make a condition come out as `want`. */
  function reasons(condition, answers, want, found) {
    var op = condition.op, parts = condition.of || [], i, v;
    if (op === "is") {
      if (condition.question in answers.given) found[condition.question] = true;
    } else if (op === "not") {
      reasons(parts, answers, !want, found);
    } else if (op !== "always") {
      if (op === "none") want = !want;
      for (i = 0; i < parts.length; i++) {
        v = value(parts[i], answers);
        if (op === "all" ? want || v === false : !want || v === true) {
          reasons(parts[i], answers, want, found);
        }
      }
    }
    return found;
  }

  /* Why an outcome is shown: the answers that make its condition true or, for the one shown
     when no other applies, those that make each earlier condition false. */
  function why(rules, given, id) {
    var answers = new Answers(rules, given), found = {}, i, rule;
    for (i = 0; i < rules.outcomes.length; i++) {
      rule = rules.outcomes[i];
      if (rule.id === id) {
        return rule.when.op === "always" ? found : reasons(rule.when, answers, true, {});
      }
      reasons(rule.when, answers, false, found);
    }
    return found;
  }

  function bandOf(question, number) {
    if (!isFinite(number) || (question.lowest !== null && number < question.lowest) ||
        (question.highest !== null && number > question.highest)) return null;
    for (var i = 0; i < question.bands.length; i++) {
      var band = question.bands[i];
      if (band.below === null || number < band.below) return band.id;
    }
    return null;
  }

  function text(node) {
    return node.textContent.replace(/\s+/g, " ").trim();
  }

  function start(root) {
    if (root.getAttribute("data-self-check-started")) return;
    var source = root.querySelector("script[data-self-check-rules]");
    var form = root.querySelector("[data-self-check-form]");
    if (!source || !form) return;
    root.setAttribute("data-self-check-started", "true");
    var rules = JSON.parse(source.textContent);
    var results = root.querySelector("[data-self-check-results]");
    var status = root.querySelector("[data-self-check-status]");
    var cleared = root.querySelector("[data-self-check-cleared]");
    var last = "", wasCleared = false, timer = null;
    root.querySelector("[data-self-check-guide]").hidden = true;
    root.querySelectorAll("[data-self-check-static], [data-when]").forEach(function (node) {
      node.hidden = true;
    });
    results.hidden = true;
    form.hidden = false;

    function field(q) { return form.querySelector('[data-question="' + q.id + '"]'); }

    function read(q, node, shout) {
      var inputs = node.querySelectorAll("input"), chosen = [], i;
      if (q.type === "number") {
        var raw = inputs[0].value.trim().replace(",", ".");
        var band = raw === "" || !/^-?\d+(\.\d+)?$/.test(raw) ? null : bandOf(q, Number(raw));
        var error = node.querySelector("[data-error]");
        if (raw === "" || band !== null) error.hidden = true;
        else if (shout) error.hidden = false;
        node.classList.toggle("question--error", !error.hidden);
        inputs[0].setAttribute("aria-invalid", error.hidden ? "false" : "true");
        return band;
      }
      for (i = 0; i < inputs.length; i++) {
        if (inputs[i].checked) chosen.push(inputs[i].value);
      }
      if (q.type !== "several-choices") return chosen.length ? chosen[0] : null;
      return chosen.length ? chosen.filter(function (v) { return v; }) : null;
    }

    function clear(node) {
      node.querySelectorAll("input").forEach(function (input) {
        input.checked = false;
        if (input.type === "text") input.value = "";
      });
    }

    function announce(message) {
      clearTimeout(timer);
      timer = setTimeout(function () { status.textContent = message; }, 300);
    }

    /* A result that appears below the bottom of the screen (on a phone, under the answers)
       is brought into view; focus stays on the answer, and the status line says it too. */
    function reveal() {
      var heading = results.querySelector("h2") || results;
      if (heading.getBoundingClientRect().top < window.innerHeight * 0.75) return;
      var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      heading.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
    }

    function update(event) {
      if (event && event.type === "input" && event.target.type !== "text") return;
      if (event && event.type === "input") {
        /* A number counts once the reader leaves the box: typing "70" must not show the
           result for 7 on the way. Until then, only a shown error is taken back. */
        var node = event.target.closest("[data-question]");
        if (node.querySelector("[data-error]").hidden) return;
      }
      var given = {}, answers = new Answers(rules, given), frontier = null;
      rules.questions.forEach(function (q) {
        var node = field(q);
        if (answers.asked(q.id) !== true) {
          clear(node);
          return;
        }
        var got = read(q, node, event && event.type === "change" && node.contains(event.target));
        if (got !== null) given[q.id] = got;
        else if (!frontier) frontier = q.id;
      });
      var shown = result(rules, given);
      rules.questions.forEach(function (q) {
        field(q).hidden = !(q.id in given || (q.id === frontier && !shown));
      });
      results.querySelectorAll("[data-outcome]").forEach(function (card) {
        card.hidden = true;
      });
      var key = shown ? shown.join(" ") : "";
      if (shown) {
        var routed = {};
        shown.forEach(function (id) {
          var card = results.querySelector('[data-outcome="' + id + '"]');
          /* Cards of one level share its route: it is shown once, on the first of them. */
          var route = card.querySelector(".care-route");
          if (route) {
            route.hidden = !!routed[card.getAttribute("data-level")];
            routed[card.getAttribute("data-level")] = true;
          }
          var list = card.querySelector("[data-why-list]"), reasonsFound = why(rules, given, id);
          var answered = [];
          list.textContent = "";
          rules.questions.forEach(function (q) {
            if (!reasonsFound[q.id]) return;
            var node = field(q);
            var answer = q.type === "number" ?
              node.querySelector("input").value.trim() :
              Array.prototype.map.call(node.querySelectorAll("input:checked"), function (input) {
                return text(node.querySelector('label[for="' + input.id + '"]'));
              }).join(", ");
            answered.push([text(node.querySelector(".question__legend")) + " " + answer, answer]);
          });
          /* A list longer than the longest a reader takes in, all with the same answer, is one
             line: "No" to all 10 questions. */
          var same = answered.every(function (pair) { return pair[1] === answered[0][1]; });
          if (same && answered.length > Number(list.getAttribute("data-why-longest"))) {
            answered = [[list.getAttribute("data-why-all").replace("{answer}", answered[0][1])
              .replace("{count}", String(answered.length))]];
          }
          answered.forEach(function (pair) {
            var item = document.createElement("li");
            item.textContent = pair[0];
            list.appendChild(item);
          });
          card.querySelector("[data-why]").hidden = !list.children.length;
          card.hidden = false;
          results.appendChild(card);
        });
      }
      /* With more than one result, a short list of them comes first, each a link to its
         card, so a reader sees everything to do before reading the cards. */
      var summary = results.querySelector("[data-self-check-summary]");
      if (summary) {
        var items = summary.querySelector("[data-summary-list]");
        items.textContent = "";
        (shown || []).forEach(function (id) {
          var heading = results.querySelector('[data-outcome="' + id + '"] .care-card__heading');
          var label = heading.querySelector(".care-level");
          var item = document.createElement("li"), link = document.createElement("a");
          link.href = "#outcome-" + id;
          link.textContent = text(heading).slice(label ? text(label).length : 0).trim();
          item.appendChild(link);
          items.appendChild(item);
        });
        summary.hidden = !shown || shown.length < 2;
      }
      results.hidden = !shown;
      if (key === last) wasCleared = false;
      else {
        if (shown && !last && event) reveal();
        wasCleared = !shown && last !== "";
        announce(shown ? root.getAttribute("data-say-result") + " " + shown.map(function (id) {
          return text(results.querySelector('[data-outcome="' + id + '"] .care-card__heading'));
        }).join(". ") : wasCleared ? root.getAttribute("data-say-cleared") : "");
        last = key;
      }
      cleared.hidden = !wasCleared;
    }

    form.addEventListener("change", update);
    form.addEventListener("input", update);
    form.addEventListener("click", function (event) {
      var box = event.target;
      if (box.type !== "checkbox") return;
      form.querySelectorAll('input[name="' + box.name + '"]').forEach(function (other) {
        if (other !== box && box.checked && (box.hasAttribute("data-none") ||
            other.hasAttribute("data-none"))) other.checked = false;
      });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    /* Coming back to the page (Back, or a restored tab) shows the answers still chosen. */
    window.addEventListener("pageshow", function () { update(); });
    form.addEventListener("reset", function () {
      setTimeout(function () {
        last = "";
        wasCleared = false;
        update();
        clearTimeout(timer);
        status.textContent = "";
      });
    });
    update();
  }

  function startAll() {
    document.querySelectorAll('[data-module="self-check"]').forEach(start);
  }

  window.selfCheck = { result: result, value: value, bandOf: bandOf, Answers: Answers };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(startAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
