// Front end of painlab.widgets.plot_view.PlotView: draws the figure JSON it is sent with
// Plotly.react, which redraws only what changed.
//
// plotly.js (about 5 MB) is loaded once per page, not sent with every widget: first from the
// course's server extension (painlab.server), else, on a server without it, through the
// widget's own comm from the kernel.

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

export default {
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
    const draw = () => {
      const figure = JSON.parse(model.get("figure_json"));
      return Plotly.react(plot, figure.data, figure.layout, figure.config);
    };
    model.on("change:figure_json", draw);
    await draw();
    return () => {
      model.off("change:figure_json", draw);
      Plotly.purge(plot);
    };
  },
};
