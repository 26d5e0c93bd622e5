// @ts-check
// Small charts as inline SVG, drawn from plain numbers: no library, nothing
// fetched. Colours and fonts come from the page's CSS (classes below), since
// the Content-Security-Policy allows no inline style markup. Every chart has
// a text equivalent: a <title> and an aria-label on the <svg role="img">.
//
// On a right-to-left page (dir="rtl") every chart is drawn mirrored: bars
// grow from the right, labels sit on their right, and time runs from right
// to left. Text anchors stay logical ("start", "end"): the SVG's text
// inherits the page's direction, which turns them round with the geometry.

const SVG = "http://www.w3.org/2000/svg";
const VALUE_FONT_PX = 13; // .chart text in curator.css: the values over the columns
const DIGIT_PX = 8; // about the width of one digit at that size, with room

/** Whether the page reads right to left (js/i18n.js sets dir from the catalogue). */
export const pageIsRtl = () => document.documentElement.dir === "rtl";

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
 * Horizontal positions in a chart `width` wide, measured from the side the
 * page starts reading on: `at(x)` a point, `box(x, w)` the left edge of a box.
 * @param {number} width
 * @param {boolean} rtl
 */
function across(width, rtl) {
  return {
    /** @param {number} x */
    at: (x) => round1(rtl ? width - x : x),
    /** @param {number} x @param {number} w */
    box: (x, w) => round1(rtl ? width - x - w : x),
  };
}

/**
 * Vertical bars, one per item (games per day, the oldest first), a label
 * under every `labelEvery`-th bar counted back from the last, and the value
 * over each bar that is not zero: upright where it fits over its bar, else
 * turned to read upwards. `width` is best the box's own width in CSS pixels
 * (the text then keeps its size on a phone and on a kiosk).
 * @param {{label: string, value: number, text?: string}[]} items `text`: the value in words
 * @param {{description: string, labelEvery?: number, width?: number, height?: number, rtl?: boolean}} options
 */
export function columnChart(items, { description, labelEvery = 1, width = 900, height = 220, rtl = pageIsRtl() }) {
  const svg = chart(width, height, "column-chart", description);
  const { at, box } = across(width, rtl);
  const top = 18;
  const bottom = 22;
  const side = 24; // room for the first and last labels
  const plot = height - top - bottom;
  const max = Math.max(1, ...items.map((item) => item.value));
  const slot = (width - 2 * side) / Math.max(1, items.length);
  const widest = Math.max(0, ...items.map((item) => (item.text ?? String(item.value)).length));
  const upright = widest * DIGIT_PX <= slot;
  const turnedTop = top + (upright ? 0 : widest * DIGIT_PX); // room above the bars for turned values
  const scale = (plot - (turnedTop - top)) / max;
  svg.append(svgElement("line", { x1: side, x2: width - side, y1: top + plot, y2: top + plot, class: "axis" }));
  items.forEach((item, i) => {
    const x = side + i * slot;
    const h = item.value * scale;
    const bar = svgElement("rect", {
      x: box(x + slot * 0.15, slot * 0.7),
      y: round1(top + plot - h),
      width: round1(slot * 0.7),
      height: round1(h),
      class: "bar",
      "data-label": item.label,
      "data-value": item.value,
    });
    const text = item.text ?? String(item.value);
    bar.append(svgElement("title", {}, `${item.label}: ${text}`));
    svg.append(bar);
    if (item.value > 0) {
      const middle = at(x + slot / 2);
      const y = round1(top + plot - h - 4);
      if (upright) {
        svg.append(svgElement("text", { x: middle, y, class: "value" }, text));
      } else {
        const turned = { x: round1(middle + VALUE_FONT_PX / 3), y, class: "value turned" };
        svg.append(svgElement("text", { ...turned, transform: `rotate(-90 ${turned.x} ${y})` }, text));
      }
    }
    if ((items.length - 1 - i) % labelEvery === 0) {
      svg.append(svgElement("text", { x: at(x + slot / 2), y: height - 6, class: "label" }, item.label));
    }
  });
  return svg;
}

/**
 * Horizontal bars with a label before each and a text after it (languages,
 * scores): each bar's length is its value over `max`.
 * @param {{label: string, value: number, text: string}[]} items
 * @param {{description: string, max?: number, width?: number, rtl?: boolean}} options
 */
export function barList(items, { description, max, width = 340, rtl = pageIsRtl() }) {
  const rowHeight = 26;
  const height = Math.max(1, items.length) * rowHeight;
  const svg = chart(width, height, "bar-list", description);
  const { at, box } = across(width, rtl);
  const labelWidth = width * 0.34;
  const textWidth = width * 0.2;
  const room = width - labelWidth - textWidth;
  const top = Math.max(1, max ?? Math.max(0, ...items.map((item) => item.value)));
  items.forEach((item, i) => {
    const y = i * rowHeight;
    const length = round1((item.value / top) * room);
    svg.append(svgElement("text", { x: at(labelWidth - 8), y: y + 18, class: "label before" }, item.label));
    svg.append(svgElement("rect", { x: box(labelWidth, room), y: y + 5, width: room, height: 16, class: "track" }));
    const bar = svgElement("rect", {
      x: box(labelWidth, length),
      y: y + 5,
      width: length,
      height: 16,
      class: "bar",
      "data-label": item.label,
      "data-value": item.value,
    });
    svg.append(bar);
    svg.append(svgElement("text", { x: at(labelWidth + room + 8), y: y + 18, class: "value after" }, item.text));
  });
  return svg;
}

/**
 * One bar split into parts (seated and standing), with a legend under it;
 * `format` writes a part's value and share (0..1, or null for no total).
 * @param {{label: string, value: number, kind: string}[]} parts
 * @param {{description: string, width?: number, rtl?: boolean,
 *   format?: (value: number, share: number | null) => string}} options
 */
export function shareBar(parts, { description, width = 340, rtl = pageIsRtl(), format = (value) => String(value) }) {
  const svg = chart(width, 64, "share-bar", description);
  const { at, box } = across(width, rtl);
  const total = parts.reduce((sum, part) => sum + part.value, 0);
  let x = 0;
  svg.append(svgElement("rect", { x: 0, y: 4, width, height: 24, class: "track" }));
  parts.forEach((part, i) => {
    const w = total ? (part.value / total) * width : 0;
    svg.append(
      svgElement("rect", {
        x: box(x, w),
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
    svg.append(svgElement("rect", { x: box(legendX, 14), y: 42, width: 14, height: 14, class: `bar part-${part.kind}` }));
    const text = `${part.label}: ${format(part.value, total ? part.value / total : null)}`;
    svg.append(svgElement("text", { x: at(legendX + 20), y: 54, class: "label after" }, text));
  });
  return svg;
}

/**
 * A small bar for a rate (0..1) in a table cell, beside the rate in words:
 * decorative, so hidden from screen readers (the words say it).
 * @param {number | null} rate
 * @param {boolean} [rtl]
 */
export function rateBar(rate, rtl = pageIsRtl()) {
  const width = 100;
  const svg = svgElement("svg", { viewBox: `0 0 ${width} 12`, class: "chart rate-bar", "aria-hidden": "true" });
  svg.append(svgElement("rect", { x: 0, y: 0, width, height: 12, class: "track" }));
  if (rate !== null) {
    const length = round1(rate * width);
    svg.append(svgElement("rect", { x: across(width, rtl).box(0, length), y: 0, width: length, height: 12, class: "bar" }));
  }
  return svg;
}
