/*
 * The theme's menu and search buttons in the header are labels for hidden checkboxes: a mouse
 * or a finger can use them, but the Tab key never reaches them, so on phones and tablets a
 * keyboard or switch user could not open the menu (WCAG 2.1.1). Each label is swapped for a
 * real button with the same icon that works the same checkbox, is named after what it opens
 * (the navigation's and the search box's own labels, so the site's language is kept), and
 * says whether that is open; opening search puts the cursor in the search box. Without JavaScript the labels stay as the theme made them.
 */
(function () {
  "use strict";

  var PANELS = [
    { toggle: "__drawer", namedBy: "nav.md-nav--primary" },
    { toggle: "__search", namedBy: "input.md-search__input", focus: true }
  ];

  function swap(label, toggle, named, focus) {
    var name = named.getAttribute("aria-label");
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className;
    button.setAttribute("data-opens", toggle.id);
    button.setAttribute("aria-label", name);
    Array.prototype.forEach.call(label.childNodes, function (child) {
      button.appendChild(child.cloneNode(true));
    });
    function show() { button.setAttribute("aria-expanded", String(toggle.checked)); }
    show();
    toggle.addEventListener("change", show);
    button.addEventListener("click", function () {
      toggle.click();
      show();
      if (focus && toggle.checked) named.focus();
    });
    label.parentNode.insertBefore(button, label);
    label.hidden = true;
  }

  function start() {
    PANELS.forEach(function (panel) {
      var toggle = document.getElementById(panel.toggle);
      var named = document.querySelector(panel.namedBy);
      if (!toggle || !named) return;
      var selector = 'label.md-header__button[for="' + panel.toggle + '"]:not([hidden])';
      document.querySelectorAll(selector).forEach(function (label) {
        swap(label, toggle, named, panel.focus);
      });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
