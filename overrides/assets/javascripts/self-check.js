/*
 * Self-check: evaluates the rules embedded in the page, in the browser only.
 *
 * The rules are the canonical JSON that generator/rules.py writes; `evaluate` here and
 * `RuleSet.evaluate` there must agree on every answer (the tests prove it in Chromium).
 * Answers are read from the form when the reader asks for a result. They are never stored,
 * put in the URL or sent anywhere. The DOM is built with textContent, never from HTML strings.
 * Every word it shows comes from the page (`rules.words`), so the script holds no language.
 */
(function () {
  "use strict";

  function holds(condition, answers) {
    var op = condition.op;
    if (op === "always") return true;
    if (op === "is") return answers[condition.question] === condition.answer;
    if (op === "not") return !holds(condition.of, answers);
    var parts = condition.of;
    var i;
    if (op === "any") {
      for (i = 0; i < parts.length; i++) if (holds(parts[i], answers)) return true;
      return false;
    }
    if (op === "all") {
      for (i = 0; i < parts.length; i++) if (!holds(parts[i], answers)) return false;
      return true;
    }
    if (op === "none") {
      for (i = 0; i < parts.length; i++) if (holds(parts[i], answers)) return false;
      return true;
    }
    throw new Error("unknown operator " + op);
  }

  /* The outcome id for these answers, or null until every question has a valid answer. */
  function evaluate(rules, answers) {
    var i;
    for (i = 0; i < rules.questions.length; i++) {
      if (rules.answers.indexOf(answers[rules.questions[i].id]) === -1) return null;
    }
    for (i = 0; i < rules.outcomes.length; i++) {
      if (holds(rules.outcomes[i].when, answers)) return rules.outcomes[i].id;
    }
    throw new Error("no outcome matched: the last outcome must be 'otherwise'");
  }

  /* A sentence from the page's word list with its {named} gaps filled in. */
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (gap, name) {
      return String(values[name]);
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function readAnswers(form, rules) {
    var answers = {};
    rules.questions.forEach(function (question) {
      var checked = form.querySelector(
        'input[type="radio"][name="' + question.id + '"]:checked'
      );
      if (checked) answers[question.id] = checked.value;
    });
    return answers;
  }

  function showErrors(root, rules, answers) {
    var summary = root.querySelector("[data-self-check-errors]");
    var list = root.querySelector("[data-self-check-error-list]");
    list.textContent = "";
    rules.questions.forEach(function (question, index) {
      var field = root.querySelector('[data-question="' + question.id + '"]');
      var message = field.querySelector(".question__error");
      var missing = !(question.id in answers);
      field.classList.toggle("question--error", missing);
      message.hidden = !missing;
      message.textContent = missing ? fill(rules.words.missing, { number: index + 1 }) : "";
      if (missing) {
        var item = element("li");
        var link = element("a", null, fill(rules.words.missingLink, {
          number: index + 1,
          question: question.text
        }));
        var first = field.querySelector('input[type="radio"]');
        link.href = "#" + first.id;
        link.addEventListener("click", function (event) {
          event.preventDefault();
          first.focus();
          field.scrollIntoView({ block: "center" });
        });
        item.appendChild(link);
        list.appendChild(item);
      }
    });
    summary.hidden = false;
    summary.focus();
  }

  function clearErrors(root) {
    root.querySelector("[data-self-check-errors]").hidden = true;
    root.querySelectorAll(".question").forEach(function (field) {
      field.classList.remove("question--error");
      var message = field.querySelector(".question__error");
      message.hidden = true;
      message.textContent = "";
    });
  }

  function showResult(root, rules, answers, outcomeId) {
    var region = root.querySelector("[data-self-check-result]");
    var outcome = rules.outcomes.filter(function (o) { return o.id === outcomeId; })[0];
    region.textContent = "";
    var card = element("div", "care-card care-card--" + outcome.level);
    card.setAttribute("data-outcome", outcome.id);
    var heading = element("h2", "care-card__heading");
    heading.id = "result-heading";
    heading.tabIndex = -1;
    heading.appendChild(element("span", "visually-hidden", rules.words.levels[outcome.level]));
    heading.appendChild(document.createTextNode(outcome.heading));
    card.appendChild(heading);
    var advice = element("ul");
    outcome.advice.forEach(function (text) { advice.appendChild(element("li", null, text)); });
    card.appendChild(advice);
    region.appendChild(card);

    var summary = element("details", "self-check__answers");
    summary.appendChild(element("summary", null, rules.words.yourAnswers));
    var given = element("dl");
    rules.questions.forEach(function (question) {
      given.appendChild(element("dt", null, question.text));
      given.appendChild(element("dd", null, rules.words.answers[answers[question.id]]));
    });
    summary.appendChild(given);
    region.appendChild(summary);
    heading.focus();
  }

  function start(root) {
    if (root.getAttribute("data-self-check-started")) return;
    var source = root.querySelector("script[data-self-check-rules]");
    var form = root.querySelector("[data-self-check-form]");
    var guide = root.querySelector("[data-self-check-guide]");
    if (!source || !form) return;
    var rules = JSON.parse(source.textContent);
    root.setAttribute("data-self-check-started", "true");
    form.hidden = false;
    if (guide) guide.hidden = true;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var answers = readAnswers(form, rules);
      var outcomeId = evaluate(rules, answers);
      if (outcomeId === null) {
        root.querySelector("[data-self-check-result]").textContent = "";
        showErrors(root, rules, answers);
        return;
      }
      clearErrors(root);
      showResult(root, rules, answers, outcomeId);
    });
    form.addEventListener("reset", function () {
      clearErrors(root);
      root.querySelector("[data-self-check-result]").textContent = "";
    });
  }

  function startAll() {
    document.querySelectorAll('[data-module="self-check"]').forEach(start);
  }

  window.selfCheck = { evaluate: evaluate, holds: holds };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(startAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
