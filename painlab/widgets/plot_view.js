// Front end of painlab.widgets.plot_view.PlotView: draws the figure JSON it is sent.
//
// Plotly.react redraws the whole plot (every axis, tick label, legend entry, annotation) as soon
// as any trace's data changes: for a three-panel figure that was about 50 ms of each key press.
// Most updates change only trace data and the title and annotation texts, on axes whose range is
// fixed (nothing to autoscale); those are drawn by plotly's animation path with no transition
// (the traces only, in one pass) and a relayout of the texts, which draws the same picture. An
// update that only moves a fixed axis is a relayout too. Everything else goes through
// Plotly.react.
//
// plotly.js (megabytes: painlab.plotly_bundle) is loaded once per page, not sent with every
// widget: first from the course's server extension (painlab.server), else, on a server without
// it, through the widget's own comm from the kernel.

function baseUrl() {
  const config = document.getElementById("jupyter-config-data");
  try {
    return JSON.parse(config.textContent).baseUrl || "/";
  } catch {
    return "/";
  }
}

function addScript(attributes) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    const finish = (problem) => {  // plotly.min.js ends by setting window.Plotly
      if (window.Plotly) resolve(window.Plotly);
      else reject(new Error(problem));
    };
    script.onload = () => finish("plotly.js did not define Plotly");
    script.onerror = () => finish("plotly.js could not be fetched");
    Object.assign(script, attributes);
    document.head.appendChild(script);
    // An inline script has run by now, and fires no load event.
    if (attributes.text) finish("plotly.js did not define Plotly");
  });
}

function plotlyFromKernel(model) {
  return new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (!message || typeof message.plotly_js !== "string") return;
      model.off("msg:custom", onMessage);
      addScript({ text: message.plotly_js }).then(resolve, reject);
    };
    model.on("msg:custom", onMessage);
    model.send({ request: "plotly.js" });
  });
}

function loadPlotly(model) {
  const expected = model.get("plotly_version");
  if (window.Plotly && window.Plotly.version === expected) return Promise.resolve(window.Plotly);
  if (!window.__painlabPlotly) {
    const url = `${baseUrl()}${model.get("plotly_url_path")}?v=${expected}`;
    window.__painlabPlotly = addScript({ src: url }).catch(() => plotlyFromKernel(model));
    // A failed load may be retried by the next widget (for example after a server restart).
    window.__painlabPlotly.catch(() => { window.__painlabPlotly = undefined; });
  }
  return window.__painlabPlotly;
}

// Trace properties that the fast path may change: data, redrawn by each trace's plot.
const DATA_KEYS = new Set(["x", "y", "text", "hovertext"]);
const AXIS_KEY = /^[xy]axis\d*$/;
const json = (value) => JSON.stringify(value);

function axisOf(layout, id) {  // "x2" -> layout.xaxis2, following `matches`
  for (let hops = 0; hops < 4; hops++) {
    const axis = layout[`${id[0]}axis${id.slice(1)}`] || {};
    if (!axis.matches) return axis;
    id = axis.matches;
  }
  return {};
}

const fixedRange = (axis) => Array.isArray(axis.range) && axis.autorange !== true;
// No points: a plain empty array, or an empty typed array as plotly's JSON encodes numpy's.
const empty = (value) => (Array.isArray(value) ? value.length === 0
  : Boolean(value) && typeof value === "object" && value.bdata === "");

// The layout without what the fast path may change: the texts of the title and annotations, and
// the ranges of axes whose range is fixed before and after.
function withoutChangeable(layout, other) {
  const rest = { ...layout };
  for (const key of Object.keys(layout)) {
    if (AXIS_KEY.test(key) && fixedRange(layout[key]) && fixedRange(other[key] || {})) {
      rest[key] = { ...layout[key], range: undefined };
    }
  }
  if (layout.title && layout.title.text !== undefined) {
    rest.title = { ...layout.title };
    delete rest.title.text;
  }
  if (Array.isArray(layout.annotations)) {
    rest.annotations = layout.annotations.map((note) => ({ ...note, text: undefined }));
  }
  return rest;
}

// {"title.text": ..., "annotations[i].text": ...} for the texts that changed: Plotly.relayout
// redraws just the title and those annotations (none of them moves the margins).
function textChanges(previous, layout) {
  const changes = {};
  const title = (layout.title || {}).text;
  if (title !== (previous.title || {}).text) changes["title.text"] = title;
  (layout.annotations || []).forEach((note, i) => {
    if (note.text !== previous.annotations[i].text) changes[`annotations[${i}].text`] = note.text;
  });
  return changes;
}

// The student has zoomed, panned or hidden a trace from the legend since the last update:
// Plotly.react puts the figure back as the kernel sent it, as it always did.
function touched(plot, previous) {
  const data = plot.data || [];
  if (data.some((trace, i) => json(trace.visible) !== json(previous.data[i].visible))) return true;
  return Object.keys(plot.layout || {}).some((key) => {
    if (!AXIS_KEY.test(key)) return false;
    const sent = previous.layout[key] || {};
    const shown = plot.layout[key] || {};
    return fixedRange(sent) ? json(shown.range) !== json(sent.range) : shown.autorange === false;
  });
}

// What the fast path draws, or null when the update needs Plotly.react: the same traces with
// only data changed (none of them left without points), on axes with fixed ranges (nothing to
// autoscale), and the same layout apart from the texts of the title and the annotations and the
// ranges of those fixed axes.
function fastUpdate(plot, previous, figure) {
  if (!previous || previous.data.length !== figure.data.length) return null;
  if (json(previous.config) !== json(figure.config)) return null;
  if (json(withoutChangeable(previous.layout, figure.layout))
      !== json(withoutChangeable(figure.layout, previous.layout))) return null;
  let changed = false;
  const traces = [];
  for (let i = 0; i < figure.data.length; i++) {
    const before = previous.data[i];
    const after = figure.data[i];
    const change = {};
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (json(before[key]) === json(after[key])) continue;
      if (!DATA_KEYS.has(key) || !(key in after)) return null;
      // The animation path leaves the lines and fill of a trace that loses all its points.
      if (empty(after[key])) return null;
      change[key] = after[key];
    }
    if (Object.keys(change).length) {
      const x = axisOf(figure.layout, after.xaxis || "x");
      const y = axisOf(figure.layout, after.yaxis || "y");
      if (!fixedRange(x) || !fixedRange(y)) return null;
      changed = true;
    }
    traces.push(change);
  }
  if (touched(plot, previous)) return null;
  const ranges = {};
  for (const key of Object.keys(figure.layout)) {
    if (AXIS_KEY.test(key) && json(figure.layout[key].range) !== json(previous.layout[key].range)) {
      ranges[`${key}.range`] = figure.layout[key].range;
    }
  }
  // Traces and ranges together: moving the axes redraws every trace anyway, so Plotly.react
  // (one pass) is quicker than a relayout and then the animation.
  if (changed && Object.keys(ranges).length) return null;
  return { traces: changed ? traces : null,
           relayout: { ...textChanges(previous.layout, figure.layout), ...ranges } };
}

export default {
  // Called when the model is created, before any view of it: plotly.js starts loading while the
  // rest of the display (and the kernel's next cells) are still on their way.
  initialize({ model }) {
    loadPlotly(model).catch(() => {});  // a failure shows in render, where the plot would be
  },
  async render({ model, el }) {
    const plot = document.createElement("div");
    el.appendChild(plot);
    let Plotly;
    try {
      Plotly = await loadPlotly(model);
    } catch (error) {
      plot.textContent = `The plot could not be drawn: ${error.message}.`;
      return;
    }
    let previous = null;  // the figure last sent, as sent (plotly changes what it is given)
    const draw = () => {
      const text = model.get("figure_json");
      const figure = JSON.parse(text);
      const fast = fastUpdate(plot, previous, figure);
      previous = JSON.parse(text);
      if (!fast) return Plotly.react(plot, figure.data, figure.layout, figure.config);
      // Both draw before the next frame: the relayout synchronously, the animation frame in the
      // same task (plotly runs its first frame at once, the rest in promise callbacks).
      if (Object.keys(fast.relayout).length) Plotly.relayout(plot, fast.relayout);
      if (!fast.traces) return Promise.resolve();
      return Plotly.animate(plot, { data: fast.traces, traces: fast.traces.map((_, i) => i) },
                            { mode: "immediate", transition: { duration: 0 },
                              frame: { duration: 0, redraw: false } });
    };
    model.on("change:figure_json", draw);
    await draw();
    return () => {
      model.off("change:figure_json", draw);
      Plotly.purge(plot);
    };
  },
};
