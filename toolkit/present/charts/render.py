"""Drawing charts with no internet: the site's script and each chart's HTML.

:func:`chart_script` builds one JavaScript file holding Vega, Vega-Lite and
Vega-Embed (from ``vl-convert-python``), and :func:`chart_html` writes a chart
as a placeholder that script fills in.  :func:`use_site_renderer` makes the
book's pages render charts that way.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
from typing import Any

import altair as alt

from toolkit.errors import ToolkitError
from toolkit.present.charts.base import MAX_ROWS
from toolkit.present.charts.spec import chart_dict

__all__ = ["chart_html", "chart_script", "describe_spec", "use_site_renderer"]

# The site's chart script, bundled after Vega-Embed (see :func:`chart_script`).
# Each chart is drawn to fit its column: a single view fills the width
# ("container" width, autosize fit); a composed one (side by side, facets) is
# redrawn narrower until it fits, and only as a last resort scaled down.
# Below NARROW pixels legends go under the chart.  Long axis labels, titles
# and quote lines wrap instead of being cut off.  A chart is redrawn when its
# column changes width, and is marked data-fitted="yes" once drawn.
_RENDER_SNIPPET = r"""
window.vegaEmbed = vegaEmbed;
const NARROW = 560;
const LEGEND_CHANNELS = ["color", "fill", "stroke", "shape", "size", "opacity", "strokeDash"];
const CHAR = 8;  // a generous width of a 13 px label character, in pixels

function fteWrap(text, width) {
  // Words, and the parts of a word too long for a line (split after _ - or /).
  const pieces = [];
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    const parts = word.length > width ? word.split(/(?<=[_\-\/])/) : [word];
    parts.forEach((part, i) => pieces.push([part, i === 0]));
  }
  const lines = [];
  let line = "";
  for (const [piece, spaced] of pieces) {
    const joined = line ? line + (spaced ? " " : "") + piece : piece;
    if (line && joined.length > width) {
      lines.push(line);
      line = piece;
    } else {
      line = joined;
    }
  }
  lines.push(line);
  return lines.length === 1 ? lines[0] : lines;
}
const OPTIONS = { renderer: "svg", actions: false, expressionFunctions: { fteWrap: fteWrap } };

// Call fn(node, parents) for every view-like object of a spec (not its data).
function walk(node, fn, parents = []) {
  if (Array.isArray(node)) {
    node.forEach((child) => walk(child, fn, parents));
  } else if (node && typeof node === "object") {
    fn(node, parents);
    for (const [key, child] of Object.entries(node)) {
      if (!["datasets", "data", "values", "config"].includes(key)) {
        walk(child, fn, [...parents, node]);
      }
    }
  }
}

function isComposed(spec) {
  let composed = false;
  walk(spec, (node) => {
    if (["hconcat", "vconcat", "concat", "facet", "repeat"].some((k) => k in node)) composed = true;
    const enc = node.encoding;
    if (enc && (enc.row || enc.column || enc.facet)) composed = true;
  });
  return composed;
}

function rowsOf(spec, node, parents) {
  for (const owner of [node, ...parents.slice().reverse()]) {
    if (owner.data && owner.data.name && spec.datasets) return spec.datasets[owner.data.name] || [];
    if (owner.data && owner.data.values) return owner.data.values;
  }
  return [];
}

function wrapTitle(title, available) {
  const wrap = (text, size) =>
    typeof text === "string" ? fteWrap(text, Math.max(16, Math.floor(available / size))) : text;
  if (typeof title === "string") return wrap(title, 10.5);
  if (title && typeof title === "object" && !Array.isArray(title)) {
    const text = wrap(title.text, 10.5);
    return Object.assign({}, title, { text: text, subtitle: wrap(title.subtitle, 8) });
  }
  return title;
}

// Wrap long category labels on the y axis, making each band tall enough.
function wrapLabels(spec, labelLimit) {
  const chars = Math.max(12, Math.floor(labelLimit / CHAR));
  walk(spec, (node, parents) => {
    const y = node.encoding && node.encoding.y;
    if (!y || y.axis === null || !y.field || !["nominal", "ordinal"].includes(y.type)) return;
    y.axis = Object.assign({}, y.axis);
    const spaced = /replace\(datum\.label, \/_\/g/.test(y.axis.labelExpr || "");
    y.axis.labelExpr = "fteWrap(" + (y.axis.labelExpr || "datum.label") + ", " + chars + ")";
    y.axis.labelLimit = labelLimit;
    const values = new Set(rowsOf(spec, node, parents).map((row) => String(row[y.field] ?? "")));
    const lines = Math.max(1, ...[...values].map((text) => {
      const wrapped = fteWrap(spaced ? text.replace(/_/g, " ") : text, chars);
      return Array.isArray(wrapped) ? wrapped.length : 1;
    }));
    if (lines < 2) return;
    const owner = parents.slice().reverse().find((p) => "layer" in p && "height" in p) || node;
    const step = 14 * lines + 6;
    if (typeof owner.height === "number") {
      // Views side by side share this height: make them all taller.
      const old = owner.height;
      const taller = Math.max(old, step * values.size);
      walk(spec, (other) => {
        if (other.height === old) other.height = taller;
      });
    } else if (owner.height === undefined || owner.height.step !== undefined) {
      owner.height = { step: Math.max(step, (owner.height && owner.height.step) || 20) };
    }
  });
}

// Re-wrap text drawn line by line (the quotes chart) to the width available.
function rewrapText(spec, available) {
  const mark = typeof spec.mark === "string" ? spec.mark : spec.mark && spec.mark.type;
  const enc = spec.encoding || {};
  if (mark !== "text" || !enc.text || !enc.y || enc.y.type !== "quantitative") return false;
  const rows = rowsOf(spec, spec, []);
  const field = enc.text.field, rowField = enc.y.field;
  if (!rows.some((r) => Array.isArray(r[field]))) return false;
  const chars = Math.floor((available - 8) / (((spec.mark && spec.mark.fontSize) || 14) * 0.55));
  const tooLong = (r) => Array.isArray(r[field]) && r[field].some((l) => l.length > chars);
  if (!rows.some(tooLong)) return false;
  let shift = 0;
  const out = rows.slice().sort((a, b) => a[rowField] - b[rowField]).map((row) => {
    const copy = Object.assign({}, row, { [rowField]: row[rowField] + shift });
    if (Array.isArray(row[field]) && row[field].length) {
      const lines = [].concat(fteWrap(row[field].join(" "), chars));
      shift += lines.length - row[field].length;
      copy[field] = lines;
    }
    return copy;
  });
  spec.datasets[spec.data.name] = out;
  const domain = enc.y.scale && enc.y.scale.domain;
  if (Array.isArray(domain) && typeof spec.height === "number") {
    spec.height = Math.round(spec.height * (domain[1] + shift + 1) / (domain[1] + 1));
    domain[1] += shift;
  }
  return true;
}

function shrink(spec, factor) {
  walk(spec, (node) => {
    if (typeof node.width === "number") node.width = Math.max(40, Math.round(node.width * factor));
    if (node.width && typeof node.width.step === "number") {
      node.width = { step: Math.max(8, Math.round(node.width.step * factor)) };
      const x = node.encoding && node.encoding.x;
      if (node.width.step < 24 && x && x.axis !== null) {
        const steep = { labelAngle: -90, labelAlign: "right", labelBaseline: "middle" };
        x.axis = Object.assign({}, x.axis, steep);
      }
    }
  });
}

function adapt(spec, available, factor) {
  const s = structuredClone(spec);
  const narrow = available < NARROW;
  const labelLimit = Math.round(Math.max(90, Math.min(260, available * 0.36)));
  s.config = Object.assign({}, s.config);
  const legendLimit = Math.max(120, Math.min(360, available - 50));
  s.config.legend = Object.assign({}, s.config.legend, { labelLimit: legendLimit });
  if (narrow) {
    const columns = Math.max(1, Math.floor(available / 170));
    Object.assign(s.config.legend, {
      orient: "bottom",
      gradientLength: Math.min(200, available - 60),
      layout: { bottom: { direction: "vertical", anchor: "start" } },
    });
    walk(s, (node) => {
      const channels = LEGEND_CHANNELS.map((name) => node.encoding && node.encoding[name]).filter(
        (channel) => channel && typeof channel === "object" && channel.legend !== null);
      // Channels on one field share a legend: keep a list that was set out as a list.
      const vertical = channels.some((c) => c.legend && c.legend.direction === "vertical");
      for (const channel of channels) {
        const direction = vertical ? "vertical" : "horizontal";
        const legend = Object.assign({ direction }, channel.legend, { orient: "bottom" });
        if (legend.direction !== "vertical") legend.columns = columns;
        channel.legend = legend;
      }
    });
  }
  if (s.title) s.title = wrapTitle(s.title, available);
  const titleChars = Math.max(16, Math.floor((available - labelLimit) / 7.5));
  walk(s, (node) => {
    for (const name of ["x", "x2"]) {
      const x = node.encoding && node.encoding[name];
      if (x && typeof x.title === "string") x.title = fteWrap(x.title, titleChars);
      if (x && x.axis && typeof x.axis.title === "string") {
        x.axis.title = fteWrap(x.axis.title, titleChars);
      }
    }
  });
  wrapLabels(s, labelLimit);
  const rewrapped = rewrapText(s, available);
  if (!isComposed(s) && (typeof s.width === "number" || s.width === undefined)) {
    if (!rewrapped && typeof s.height === "number" && typeof s.width === "number") {
      s.height = Math.round(s.height * Math.max(0.6, Math.min(1, available / (s.width + 160))));
    }
    s.width = "container";
  } else if (factor !== 1) {
    shrink(s, factor);
  }
  return s;
}

const drawn = new Map();

function widthOf(view) {
  const svg = view.querySelector("svg");
  return svg ? svg.getBoundingClientRect().width : 0;
}

async function draw(view, spec) {
  // A block as wide as its column (Vega-Embed's own style shrinks to the chart).
  view.style.display = "block";
  view.style.width = "100%";
  const available = view.clientWidth || 640;
  view.dataset.fitted = "";
  view.dataset.scaled = "";
  const tries = [];
  let factor = 1;
  let width = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const adapted = adapt(spec, available, factor);
    if (drawn.has(view)) drawn.get(view).finalize();
    drawn.set(view, await vegaEmbed(view, adapted, OPTIONS));
    const svg = view.querySelector("svg");
    if (svg && spec.description) {
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", spec.description);
    }
    width = widthOf(view);
    tries.push([factor, width]);
    view.dataset.tries = JSON.stringify(tries);
    if (width <= available + 1 || adapted.width === "container") break;
    if (tries.length === 1) {
      factor = Math.max(0.3, (0.95 * available) / width);
    } else {
      const [[f0, w0], [f1, w1]] = tries.slice(-2);
      const scalable = (w0 - w1) / (f0 - f1);
      const fixed = w0 - scalable * f0;
      factor = scalable > 0 ? Math.max(0.2, (available - 4 - fixed) / scalable) : factor * 0.8;
    }
  }
  const svg = view.querySelector("svg");
  if (svg && width > available + 1) {
    // Last resort: scale the picture down to the column.
    const box = svg.getBoundingClientRect();
    svg.setAttribute("viewBox", "0 0 " + box.width + " " + box.height);
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.style.width = "100%";
    svg.style.height = "auto";
    view.dataset.scaled = "yes";
  }
  view.dataset.fittedWidth = String(available);
  view.dataset.fitted = "yes";
}

const specs = new Map();
let pending = null;
const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver((entries) => {
  const changed = entries.map((e) => e.target).filter((view) =>
    view.dataset.fitted === "yes" && view.clientWidth > 0 &&
    Math.abs(view.clientWidth - Number(view.dataset.fittedWidth)) > 8);
  if (!changed.length) return;
  clearTimeout(pending);
  pending = setTimeout(() => changed.forEach((view) => show(view)), 150);
});

function show(view) {
  return draw(view, specs.get(view)).catch((error) => {
    view.textContent = "This chart could not be drawn: " + error;
    view.dataset.fitted = "yes";
  });
}

function fteRenderCharts() {
  document.querySelectorAll('script[type="application/json"][data-fte-chart]').forEach((node) => {
    const target = document.getElementById(node.dataset.fteChart);
    if (!target || target.dataset.rendered) return;
    target.dataset.rendered = "yes";
    specs.set(target, JSON.parse(node.textContent));
    show(target);
    if (observer) observer.observe(target);
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", fteRenderCharts);
} else {
  fteRenderCharts();
}
"""


@functools.cache
def chart_script() -> str:
    """Return the JavaScript that draws every chart on a page, with no network.

    It bundles Vega, Vega-Lite and Vega-Embed (from ``vl-convert-python``).
    The bundle is an ES module with no imports or exports; wrapping it in a
    function lets it load as a classic script, which browsers also run from
    ``file://`` pages (module scripts are blocked there).
    """
    import vl_convert

    bundle = vl_convert.javascript_bundle(_RENDER_SNIPPET)
    return '(function () {\n"use strict";\n' + bundle + "\n})();\n"


def chart_html(chart: alt.TopLevelMixin | dict, chart_id: str | None = None) -> str:
    """Return a chart as HTML that :func:`chart_script` draws, with its description.

    The specification goes in a JSON script element; the description is a
    visible paragraph, so the chart's meaning is in the page as text too.
    """
    try:
        spec = chart_dict(chart, validate=True)
    except alt.MaxRowsError:
        spec = {"datasets": {"too_many": range(MAX_ROWS + 1)}}
    rows = sum(len(v) for v in spec.get("datasets", {}).values())
    if rows > MAX_ROWS:
        raise ToolkitError(
            f"expected a chart to embed at most {MAX_ROWS} data rows, but this one has {rows}",
            hint="aggregate the table before charting it (the toolkit's builders do)",
        )
    if chart_id is None:
        digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
        chart_id = f"fte-chart-{digest}"
    payload = json.dumps(spec).replace("</", "<\\/")
    description = html.escape(str(spec.get("description", "")))
    caption = (
        f'<p class="fte-chart-description" id="{chart_id}-desc">{description}</p>'
        if description
        else ""
    )
    return (
        f'<figure class="fte-chart">'
        # A wide chart scrolls sideways inside its box; tabindex lets keyboard
        # users reach and scroll it, and the label names it when they do.
        f'<div class="fte-chart-view" id="{chart_id}" role="region" tabindex="0" '
        f'aria-label="{html.escape(_title_text(spec))}" aria-describedby="{chart_id}-desc"></div>'
        f'<script type="application/json" data-fte-chart="{chart_id}">{payload}</script>'
        f"{caption}</figure>"
    )


def _title_text(spec: dict) -> str:
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    return f"Chart: {title}" if title else "Chart"


def _site_renderer(spec: dict, **_: Any) -> dict[str, str]:
    return {"text/html": chart_html(spec), "text/plain": describe_spec(spec)}


def describe_spec(spec: dict) -> str:
    """Return the description stored in a chart specification."""
    return str(spec.get("description", "<chart>"))


alt.renderers.register("follow_the_energy_site", _site_renderer)


def use_site_renderer() -> None:
    """Render charts for the published book: drawn by the site's own script.

    The book's pages call this in a hidden first cell.  In Jupyter, leave
    Altair's default renderer on: JupyterLab draws charts itself.
    """
    alt.renderers.enable("follow_the_energy_site")
