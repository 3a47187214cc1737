/*
 * Run after each Tab press (tests/accessibility.py): what has focus, whether a person can see
 * it, and its focus ring. The ring is on the element, or on its label when the control itself
 * is see-through (the self-check's radios, the theme's colour switch). Colours are composited down the ancestors to find
 * what the ring is drawn on.
 */
async () => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  // Wait only for what moves or shows the element (the skip link slides in); colour fades
  // do not change what is seen.
  const moving = document.getAnimations().filter((a) =>
    ["opacity", "transform", "visibility"].includes(a.transitionProperty));
  await Promise.all(moving.map((a) => a.finished.catch(() => null)));
  window.__stops = window.__stops || new WeakMap();
  window.__count = window.__count || 0;
  if (!window.__stops.has(el)) window.__stops.set(el, ++window.__count);
  // A see-through radio shows itself through a label: its own, or (the theme's colour
  // switch) the one beside it that names the other choice.
  const labels = [...(el.labels || [])];
  for (let n = el.nextElementSibling; n; n = n.nextElementSibling) {
    if (n.tagName === "LABEL") labels.push(n);
  }
  const label = labels.find((l) => l.checkVisibility());
  const ring = getComputedStyle(el).opacity === "0" && label ? label : el;
  const rect = ring.getBoundingClientRect();
  // A link broken over two lines: its first line is what a hit test can find.
  const line = ring.getClientRects()[0] || rect;
  const describe = (node) => node.tagName.toLowerCase()
    + (node.id ? "#" + node.id : "")
    + (node.className && typeof node.className === "string"
       ? "." + node.className.trim().split(/\s+/).join(".") : "")
    + " '" + (node.textContent || node.getAttribute("aria-label") || "").trim().slice(0, 30) + "'";
  const parse = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const parts = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const behind = (node) => {
    const layers = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let colour = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) {
      colour = [r, g, b].map((value, i) => value * a + colour[i] * (1 - a));
    }
    return colour;
  };
  const luminance = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const style = getComputedStyle(ring);
  const ringColour = parse(style.outlineColor);
  const x = Math.min(Math.max(line.left + line.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(line.top + line.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  return {
    id: window.__stops.get(el),
    name: describe(el),
    size: rect.width > 0 && rect.height > 0,
    inViewport: rect.bottom > 0 && rect.right > 0
      && rect.top < innerHeight && rect.left < innerWidth,
    uncovered: !!hit && (hit === el || el.contains(hit) || ring.contains(hit)),
    coveredBy: hit ? describe(hit) : "nothing",
    visible: ring.checkVisibility({ opacityProperty: true, visibilityProperty: true }),
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 && ringColour[3] > 0,
    // A ring drawn inside the element (negative offset) lies on the element's own background.
    ringContrast: contrast(ringColour,
      behind(parseFloat(style.outlineOffset) < 0 ? ring : ring.parentElement)),
  };
}
