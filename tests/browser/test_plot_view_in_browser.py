"""The plot view draws an update exactly as Plotly.react would, whichever way it draws it.

``plot_view.js`` draws an update that changes only trace data, the title and annotation texts, and
the ranges of fixed axes, with plotly's animation path (traces and moved axes alone) and a
relayout of the texts; everything else with Plotly.react. Here every
diagram's figure goes through the real ``plot_view.js`` (a stand-in widget model, no kernel) and
back and forth between two values of each of its controls; after each change the plot must show
exactly what Plotly.react shows for the same figure, already in the first frame painted after the
change, with its hover data (calcdata) in place.
"""

import json
import os

import pytest

from painlab import paths
from painlab.devtools import browser
from painlab.devtools.bench import diagram_factories, two_values
from painlab.widgets.plot_view import to_figure_json

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# What the plot shows: browser.PLOT_SIGNATURE (every path, text and its transform) and also where
# every text, box (an annotation's border, the legend's) and group is placed.
SIGNATURE = """(root) => {
  const plot = root.matches('.js-plotly-plot') ? root : root.querySelector('.js-plotly-plot');
  if (!plot) return null;
  const at = ['x', 'y', 'dy', 'width', 'height', 'transform'];
  // An identity scale is no transform, and the order of the list is not what is drawn where.
  return [...plot.querySelectorAll('path, text, tspan, rect, g[transform]')]
    .map(e => at.map(a => (e.getAttribute(a) || '').replace('scale(1,1)', '')).join(',')
              + '/' + (e.getAttribute('d') || e.textContent))
    .sort().join('|');
}"""
assert browser.PLOT_SIGNATURE.count("path, text") == 1  # this one sees all that one sees

RUN = """async ([states, presses]) => {
  const SIG = PLOT_SIGNATURE;
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  const pause = ms => new Promise(resolve => setTimeout(resolve, ms));
  const box = 'position:fixed;left:0;top:0;width:860px;height:700px';
  const copy = s => structuredClone(s);
  async function reactSignature(from, to) {
    const div = document.createElement('div');
    div.style.cssText = box;
    document.body.appendChild(div);
    await Plotly.newPlot(div, copy(from).data, copy(from).layout, from.config);
    await Plotly.react(div, copy(to).data, copy(to).layout, to.config);
    await pause(50);
    const signature = SIG(div);
    Plotly.purge(div);
    div.remove();
    return signature;
  }
  const expected = [await reactSignature(states[1], states[0]),
                    await reactSignature(states[0], states[1])];
  const el = document.createElement('div');
  el.style.cssText = box;
  document.body.appendChild(el);
  const handlers = {};
  const values = {figure_json: JSON.stringify(states[0]), plotly_version: Plotly.version,
                  plotly_url_path: ''};
  const model = {get: key => values[key], on: (name, f) => { handlers[name] = f; },
                 off: () => {}, send: () => {}};
  await window.plotView.render({model, el});
  const plot = el.firstChild;
  const animate = Plotly.animate;
  let fast = 0;
  Plotly.animate = function () { fast++; return animate.apply(this, arguments); };
  const problems = [];
  for (let press = 0; press < presses; press++) {
    const k = (press + 1) % 2;
    await frame();
    let painted = null;
    const drawn = new Promise(resolve => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        requestAnimationFrame(() => { painted = SIG(plot); resolve(); });
      });
      observer.observe(plot, {subtree: true, childList: true, attributes: true,
                              characterData: true});
    });
    values.figure_json = JSON.stringify(states[k]);
    handlers['change:figure_json']();
    await drawn;
    await pause(80);
    const now = SIG(plot);
    if (!now || !expected[k]) problems.push(`change ${press + 1}: nothing drawn`);
    if (now !== expected[k]) problems.push(`change ${press + 1}: not what Plotly.react draws`);
    if (painted !== now) problems.push(`change ${press + 1}: first painted frame incomplete`);
    if (!plot.calcdata || plot.calcdata.length !== plot.data.length) {
      problems.push(`change ${press + 1}: no hover data`);
    }
  }
  Plotly.animate = animate;
  Plotly.purge(plot);
  el.remove();
  return {problems, fast};
}""".replace("PLOT_SIGNATURE", SIGNATURE)


def figure_pairs():
    """(diagram, control, [figure before, figure after]) for two values of every control."""
    pairs = []
    for name, factory in diagram_factories().items():
        for control_name in factory().controls:
            diagram = factory()
            diagram.widget()
            control = diagram.controls[control_name]
            low, high = (False, True) if isinstance(control.value, bool) else two_values(control)
            control.value = low
            before = json.loads(to_figure_json(diagram._state))
            control.value = high
            pairs.append((name, control_name, [before, json.loads(to_figure_json(diagram._state))]))
    return pairs


def test_every_update_draws_what_plotly_react_draws(chromium):
    context = chromium.new_context(viewport=browser.VIEWPORT)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.set_content("<html><body></body></html>")
        page.add_script_tag(path=str(paths.PLOTLY_JS))
        source = (paths.ROOT / "painlab" / "widgets" / "plot_view.js").read_text(encoding="utf-8")
        page.add_script_tag(content=source.replace("export default", "window.plotView ="))
        problems, fast_paths, fast_controls = [], set(), set()
        for name, control, states in figure_pairs():
            result = page.evaluate(RUN, [states, 4])
            problems += [f"{name}, {control}: {problem}" for problem in result["problems"]]
            if result["fast"]:
                fast_paths.add(name)
                fast_controls.add((name, control))
    finally:
        context.close()
    assert not errors, errors
    assert not problems, "\n".join(problems)
    # the three-panel figure, whose whole redraw was the slowest, takes the fast path
    assert "escalate_or_taper" in fast_paths
    # fixed axes and a legend that keeps every entry: the timeline (whose weeks are scaled onto
    # one fixed axis, its ticks drawn as traces) and the gating simulator's sliders take it too
    assert {("refractory_explorer", c) for c in ("history", "add_adjuvant")} <= fast_controls
    assert {("nmda_gating_simulator", c) for c in ("voltage_mV", "glutamate_uM", "mg_mM")} \
        <= fast_controls


DRAW_ALL = """async (states) => {
  const SIG = PLOT_SIGNATURE;
  const signatures = [];
  for (const state of states) {
    const div = document.createElement('div');
    div.style.cssText = 'position:fixed;left:0;top:0;width:860px;height:700px';
    document.body.appendChild(div);
    await Plotly.newPlot(div, state.data, state.layout, state.config);
    await new Promise(resolve => setTimeout(resolve, 20));
    signatures.push(SIG(div));
    Plotly.purge(div);
    div.remove();
  }
  return signatures;
}""".replace("PLOT_SIGNATURE", SIGNATURE)


def test_the_basic_bundle_draws_every_figure_as_the_full_one_does(chromium):
    """The course serves plotly's basic bundle (painlab.plotly_bundle): every state of every
    diagram must look the same drawn with it as with the installed plotly's full bundle."""
    if paths.PLOTLY_JS == paths.PLOTLY_FULL_JS:
        message = ("plotly's basic bundle is not in place: run `python -m painlab.setup_views "
                   "student` with a network")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    states = [state for _name, _control, pair in figure_pairs() for state in pair]
    drawn = {}
    for bundle in (paths.PLOTLY_FULL_JS, paths.PLOTLY_JS):
        context = chromium.new_context(viewport=browser.VIEWPORT)
        page = context.new_page()
        messages = []
        page.on("console", lambda message, kept=messages: kept.append(message.text)
                if message.type in ("warning", "error") else None)
        try:
            page.set_content("<html><body></body></html>")
            page.add_script_tag(path=str(bundle))
            drawn[bundle.name] = page.evaluate(DRAW_ALL, states)
        finally:
            context.close()
        assert not messages, f"{bundle.name}: {messages}"  # e.g. an unknown trace type
    full, basic = drawn[paths.PLOTLY_FULL_JS.name], drawn[paths.PLOTLY_JS.name]
    differ = [i for i, (a, b) in enumerate(zip(full, basic, strict=True)) if a != b]
    assert all(full) and not differ, f"{len(differ)} of {len(states)} figures differ: {differ[:5]}"
