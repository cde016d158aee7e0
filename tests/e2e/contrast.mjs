// Contrast as drawn: the window's screenshot (WebDriver's, what WebKit painted) is decoded and,
// inside the box of an element's text, the background is the most frequent colour and the ink
// the colour that differs most from it among those drawn at least a few times (anti-aliased edges
// are lighter; the strokes' cores carry the text colour). Their WCAG contrast ratio is what a
// reader gets, whatever the CSS said.
import { PNG } from "pngjs";

const luminance = ([r, g, b]) => {
  const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
export const ratio = (a, b) => {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
};

/** The boxes of the text of the first visible element matching each selector (CSS pixels). */
function textBoxes(selectors) {
  const out = [];
  for (const sel of selectors) {
    const el = [...document.querySelectorAll(sel)].find((e) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && e.textContent.trim() && getComputedStyle(e).visibility !== "hidden"
        && r.bottom <= innerHeight && r.right <= innerWidth && r.top >= 0 && r.left >= 0;
    });
    if (!el) { out.push({ sel, missing: true }); continue; }
    const range = document.createRange();
    range.selectNodeContents(el);
    const r = range.getBoundingClientRect();
    out.push({ sel, text: el.textContent.trim().slice(0, 40), x: r.left, y: r.top, width: r.width, height: r.height, dpr: devicePixelRatio });
  }
  return out;
}

/** For each selector: {sel, text, ratio, background, ink} as drawn in the window now. */
export async function drawnContrast(b, selectors) {
  const boxes = await b.execute(textBoxes, selectors);
  const png = PNG.sync.read(Buffer.from(await b.takeScreenshot(), "base64"));
  return boxes.map((box) => {
    if (box.missing) return { sel: box.sel, missing: true };
    const s = box.dpr;
    const [x0, y0] = [Math.max(0, Math.floor(box.x * s)), Math.max(0, Math.floor(box.y * s))];
    const [x1, y1] = [Math.min(png.width, Math.ceil((box.x + box.width) * s)), Math.min(png.height, Math.ceil((box.y + box.height) * s))];
    const counts = new Map();
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = (y * png.width + x) * 4;
        const key = (png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2];
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const rgb = (k) => [(k >> 16) & 255, (k >> 8) & 255, k & 255];
    const [bgKey] = [...counts].sort((a, c) => c[1] - a[1])[0];
    const background = rgb(bgKey);
    let ink = background;
    for (const [k, n] of counts) {
      if (n >= 3 && ratio(rgb(k), background) > ratio(ink, background)) ink = rgb(k);
    }
    return { sel: box.sel, text: box.text, ratio: ratio(ink, background), background, ink, pixels: (x1 - x0) * (y1 - y0) };
  });
}
