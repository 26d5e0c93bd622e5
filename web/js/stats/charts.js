// @ts-check
// Small charts as inline SVG, drawn from plain numbers: no library, nothing
// fetched. Colours and fonts come from the page's CSS (classes below), since
// the Content-Security-Policy allows no inline style markup. Every chart has
// a text equivalent: a <title> and an aria-label on the <svg role="img">.

const SVG = "http://www.w3.org/2000/svg";

/**
 * @param {string} tag
 * @param {Record<string, string | number>} [attributes]
 * @param {string} [text]
 * @returns {SVGElement}
 */
function svgElement(tag, attributes = {}, text = "") {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text) element.textContent = text; // always text: labels may hold anything
  return element;
}

/**
 * An <svg> that scales to its box, described for screen readers.
 * @param {number} width
 * @param {number} height
 * @param {string} className
 * @param {string} description
 */
function chart(width, height, className, description) {
  const svg = svgElement("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: `chart ${className}`,
    role: "img",
    "aria-label": description,
    preserveAspectRatio: "xMidYMid meet",
  });
  svg.append(svgElement("title", {}, description));
  return svg;
}

/** @param {number} n */
const round1 = (n) => Math.round(n * 10) / 10;

/**
 * Vertical bars, one per item (games per day), a label under every
 * `labelEvery`-th bar and the value over each bar that is not zero.
 * @param {{label: string, value: number}[]} items
 * @param {{description: string, labelEvery?: number, width?: number, height?: number}} options
 */
export function columnChart(items, { description, labelEvery = 1, width = 900, height = 220 }) {
  const svg = chart(width, height, "column-chart", description);
  const top = 18;
  const bottom = 22;
  const side = 24; // room for the first and last labels
  const plot = height - top - bottom;
  const max = Math.max(1, ...items.map((item) => item.value));
  const slot = (width - 2 * side) / Math.max(1, items.length);
  svg.append(svgElement("line", { x1: side, x2: width - side, y1: top + plot, y2: top + plot, class: "axis" }));
  items.forEach((item, i) => {
    const x = side + i * slot;
    const h = (item.value / max) * plot;
    const bar = svgElement("rect", {
      x: round1(x + slot * 0.15),
      y: round1(top + plot - h),
      width: round1(slot * 0.7),
      height: round1(h),
      class: "bar",
      "data-label": item.label,
      "data-value": item.value,
    });
    bar.append(svgElement("title", {}, `${item.label}: ${item.value}`));
    svg.append(bar);
    if (item.value > 0) {
      svg.append(
        svgElement("text", { x: round1(x + slot / 2), y: round1(top + plot - h - 4), class: "value" }, String(item.value)),
      );
    }
    if ((items.length - 1 - i) % labelEvery === 0) {
      svg.append(svgElement("text", { x: round1(x + slot / 2), y: height - 6, class: "label" }, item.label));
    }
  });
  return svg;
}

/**
 * Horizontal bars with a label on the left and a text on the right
 * (languages, scores): each bar's length is its value over `max`.
 * @param {{label: string, value: number, text: string}[]} items
 * @param {{description: string, max?: number, width?: number}} options
 */
export function barList(items, { description, max, width = 340 }) {
  const rowHeight = 26;
  const height = Math.max(1, items.length) * rowHeight;
  const svg = chart(width, height, "bar-list", description);
  const labelWidth = width * 0.34;
  const textWidth = width * 0.2;
  const room = width - labelWidth - textWidth;
  const top = Math.max(1, max ?? Math.max(0, ...items.map((item) => item.value)));
  items.forEach((item, i) => {
    const y = i * rowHeight;
    svg.append(svgElement("text", { x: labelWidth - 8, y: y + 18, class: "label start" }, item.label));
    svg.append(svgElement("rect", { x: labelWidth, y: y + 5, width: room, height: 16, class: "track" }));
    const bar = svgElement("rect", {
      x: labelWidth,
      y: y + 5,
      width: round1((item.value / top) * room),
      height: 16,
      class: "bar",
      "data-label": item.label,
      "data-value": item.value,
    });
    svg.append(bar);
    svg.append(svgElement("text", { x: labelWidth + room + 8, y: y + 18, class: "value end" }, item.text));
  });
  return svg;
}

/**
 * One bar split into parts (seated and standing), with a legend under it;
 * `format` writes a part's value and share (0..1, or null for no total).
 * @param {{label: string, value: number, kind: string}[]} parts
 * @param {{description: string, width?: number, format?: (value: number, share: number | null) => string}} options
 */
export function shareBar(parts, { description, width = 340, format = (value) => String(value) }) {
  const svg = chart(width, 64, "share-bar", description);
  const total = parts.reduce((sum, part) => sum + part.value, 0);
  let x = 0;
  svg.append(svgElement("rect", { x: 0, y: 4, width, height: 24, class: "track" }));
  parts.forEach((part, i) => {
    const w = total ? (part.value / total) * width : 0;
    svg.append(
      svgElement("rect", {
        x: round1(x),
        y: 4,
        width: round1(w),
        height: 24,
        class: `bar part-${part.kind}`,
        "data-label": part.label,
        "data-value": part.value,
      }),
    );
    x += w;
    const legendX = (i * width) / parts.length;
    svg.append(svgElement("rect", { x: legendX, y: 42, width: 14, height: 14, class: `bar part-${part.kind}` }));
    const text = `${part.label}: ${format(part.value, total ? part.value / total : null)}`;
    svg.append(svgElement("text", { x: legendX + 20, y: 54, class: "label start-left" }, text));
  });
  return svg;
}

/**
 * A small bar for a rate (0..1) in a table cell, beside the rate in words:
 * decorative, so hidden from screen readers (the words say it).
 * @param {number | null} rate
 */
export function rateBar(rate) {
  const width = 100;
  const svg = svgElement("svg", { viewBox: `0 0 ${width} 12`, class: "chart rate-bar", "aria-hidden": "true" });
  svg.append(svgElement("rect", { x: 0, y: 0, width, height: 12, class: "track" }));
  if (rate !== null) svg.append(svgElement("rect", { x: 0, y: 0, width: round1(rate * width), height: 12, class: "bar" }));
  return svg;
}
