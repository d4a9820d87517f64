// Front end of painlab.widgets.keyboard.KeyboardSupport: makes the ipywidgets controls of the
// display it sits in behave as the WAI-ARIA Authoring Practices describe, without changing
// their widget models (so the kernel side sees the same values and events).
//
// - Toggle buttons become a radio group: one Tab stop (the chosen option, or the first), arrow
//   keys move to the next or previous option and choose it, Home/End the first/last, Space or
//   Enter chooses the focused one; role="radiogroup" named by the control's label, each button
//   role="radio" with aria-checked.
// - Radio buttons (self-checks) share one name, so the browser makes them one Tab stop with
//   arrow keys moving the choice; the group is a radiogroup named by the question.
// - Slider handles get the slider's label (with its unit) as their accessible name, and the
//   readout's text as their value text.
// - JupyterLab's own shortcuts are suppressed inside these controls: without that, an arrow
//   key on a button moved the focus to the next notebook cell.

let groups = 0;
const SUPPRESS = "data-lm-suppress-shortcuts";

function labelOf(control) {
  const label = control.querySelector(":scope > .widget-label");
  return label && label.textContent.trim() ? label : null;
}

function nameBy(element, label) {
  if (!label) return;
  if (!label.id) label.id = `painlab-label-${++groups}`;
  element.setAttribute("aria-labelledby", label.id);
}

function setOnce(element, name, value) {  // writing an unchanged attribute still costs a restyle
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

function syncToggles(group) {
  const buttons = [...group.querySelectorAll(".widget-toggle-button")];
  const chosen = buttons.find((b) => b.classList.contains("mod-active"));
  buttons.forEach((button) => {
    const checked = button === chosen;
    setOnce(button, "role", "radio");
    setOnce(button, "aria-checked", String(checked));
    if (button.hasAttribute("aria-pressed")) button.removeAttribute("aria-pressed");
    setOnce(button, "tabindex", checked || (!chosen && button === buttons[0]) ? "0" : "-1");
  });
}

function toggleGroup(control) {
  if (control.dataset.painlabKeyboard) return;
  control.dataset.painlabKeyboard = "radiogroup";
  const group = control.querySelector(":scope > div") || control;  // the buttons' own box
  group.setAttribute("role", "radiogroup");
  group.setAttribute(SUPPRESS, "true");
  nameBy(group, labelOf(control));
  syncToggles(group);
  new MutationObserver(() => syncToggles(group)).observe(group, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["class"],
  });
  group.addEventListener("keydown", (event) => {
    const buttons = [...group.querySelectorAll(".widget-toggle-button")];
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    let next = null;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") next = (at + 1) % buttons.length;
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
      next = (at - 1 + buttons.length) % buttons.length;
    } else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = buttons.length - 1;
    else if (event.key === " " || event.key === "Enter") next = at;
    if (next === null) return;
    event.preventDefault();
    event.stopPropagation();
    buttons[next].focus();
    if (!buttons[next].classList.contains("mod-active")) buttons[next].click();
  });
}

function radioGroup(control, root) {
  const inputs = () => [...control.querySelectorAll('input[type="radio"]')];
  if (!inputs().length) return;
  if (!control.dataset.painlabKeyboard) {
    control.dataset.painlabKeyboard = `painlab-radio-${++groups}`;
    control.setAttribute("role", "radiogroup");
    control.setAttribute(SUPPRESS, "true");
    const label = labelOf(control) || root.querySelector(".painlab-prompt");
    nameBy(control, label);
    // The browser's own arrow-key handling of a radio group, done here so that it also works
    // where the page's key handlers (JupyterLab's) get the event first.
    control.addEventListener("keydown", (event) => {
      const all = inputs();
      const at = all.indexOf(document.activeElement);
      if (at < 0) return;
      let next = null;
      if (event.key === "ArrowRight" || event.key === "ArrowDown") next = (at + 1) % all.length;
      else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
        next = (at - 1 + all.length) % all.length;
      }
      if (next === null) return;
      event.preventDefault();
      event.stopPropagation();
      all[next].focus();
      if (!all[next].checked) all[next].click();
    });
  }
  // One name: one Tab stop for the group (the checked option, or the first).
  const name = control.dataset.painlabKeyboard;
  inputs().forEach((input) => { if (input.name !== name) input.name = name; });
}

function slider(control) {
  const handle = control.querySelector(".noUi-handle");
  const label = labelOf(control);
  if (!handle || !label) return;
  setOnce(handle, "aria-label", label.textContent.trim());
  setOnce(handle, SUPPRESS, "true");
  // The value as the readout shows it ("11.0"), not the slider's raw float ("11.000000000000002"),
  // which noUiSlider puts in aria-valuetext. Runs again whenever the readout's text changes.
  const readout = control.querySelector(".widget-readout");
  const shown = readout && readout.textContent.trim();
  if (shown) setOnce(handle, "aria-valuetext", shown);
}

function enhance(root) {
  root.querySelectorAll(".widget-toggle-buttons").forEach(toggleGroup);
  root.querySelectorAll(".widget-radio").forEach((c) => radioGroup(c, root));
  root.querySelectorAll(".widget-slider").forEach(slider);
}

// Redrawing the plot or rewriting the text description (an HTML widget) changes hundreds of nodes
// on every key press; no control is made inside them, so those changes are not looked at again.
const NOT_CONTROLS = ".js-plotly-plot, .widget-html, .widget-htmlmath";

function touchesControls(records) {
  return records.some((record) => {
    const node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
    return !node || !node.closest(NOT_CONTROLS);
  });
}

const ROOTS = ".painlab-diagram, .painlab-self-check, .painlab-claim-explorer";

export default {
  render({ el }) {
    let tries = 0;
    let observer = null;
    const start = () => {
      const root = el.closest(ROOTS);
      if (!root) {
        if (++tries < 200) requestAnimationFrame(start);
        return;
      }
      enhance(root);
      observer = new MutationObserver((records) => {
        if (touchesControls(records)) enhance(root);
      });
      observer.observe(root, { subtree: true, childList: true });
    };
    start();
    return () => observer && observer.disconnect();
  },
};
