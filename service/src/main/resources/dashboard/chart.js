// A small SVG line chart, redrawn whole on every tick: a minute of points costs nothing to draw.

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 170;
const PAD = { left: 60, right: 12, top: 12, bottom: 22 };

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  return node;
}

/** The smallest "round" number (1, 2, 5 × 10^n) at or above `x`. */
function niceCeiling(x) {
  if (!(x > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= x) return step * power;
  }
  return 10 * power;
}

/**
 * Draws `series` ([{name, className, values}], values oldest first, null for a gap) over the last
 * `points` ticks into `container`; values in the legend shown with `format`, the y axis with `axis`.
 */
export function drawLines(container, series, points, format, axis = format) {
  const width = Math.max(container.clientWidth, 240);
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const all = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
  const top = niceCeiling(Math.max(0, ...all));
  const x = (i) => PAD.left + (plotW * i) / Math.max(points - 1, 1);
  const y = (v) => PAD.top + plotH - (plotH * v) / top;

  const root = svg('svg', { viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, role: 'img' });
  for (let g = 0; g <= 4; g++) {
    const v = (top * g) / 4;
    root.append(svg('line', { x1: PAD.left, x2: width - PAD.right, y1: y(v), y2: y(v), class: 'grid' }));
    const label = svg('text', { x: PAD.left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' });
    label.textContent = axis(v);
    root.append(label);
  }
  for (const [i, text] of [[0, `-${points}s`], [points - 1, 'now']]) {
    const label = svg('text', {
      x: x(i), y: HEIGHT - 6, class: 'axis', 'text-anchor': i === 0 ? 'start' : 'end',
    });
    label.textContent = text;
    root.append(label);
  }
  for (const s of series) {
    const offset = points - s.values.length;
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i + offset).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    if (d !== '') root.append(svg('path', { d, class: `line ${s.className}` }));
  }
  container.replaceChildren(root, legend(series, format));
}

function legend(series, format) {
  const box = document.createElement('div');
  box.className = 'legend';
  for (const s of series) {
    const last = [...s.values].reverse().find((v) => Number.isFinite(v));
    const item = document.createElement('span');
    item.className = `key ${s.className}`;
    item.textContent = `${s.name} ${last === undefined ? '–' : format(last)}`;
    box.append(item);
  }
  return box;
}
