"""A formative self-check: question, answer control, Check button, instant feedback."""

from html import escape

import ipywidgets as widgets
import mistune

from painlab.references import render_citations
from painlab.runtime import under_nbgrader
from painlab.selfchecks import evaluate, find_check
from painlab.widgets.shared import make
from painlab.widgets.text import readable


def _md(text: str) -> str:
    return mistune.html(render_citations(text or ""))


def _answer_control(question: dict):
    kind = question["kind"]
    if kind == "choice":
        return make(widgets.RadioButtons,
                    options=[(f"({o['label']}) {o['text']}", o["label"]) for o in question["options"]],
                    value=None, layout={"width": "auto"})
    if kind == "multi":
        return make(widgets.VBox, [make(widgets.Checkbox, description=f"({o['label']}) {o['text']}",
                                        value=False, indent=False, layout={"width": "auto"})
                                   for o in question["options"]])
    if kind == "number":
        unit = question.get("unit", "")
        return make(widgets.Text, placeholder="type a number",
                    description=f"Answer ({unit})" if unit else "Answer",
                    style={"description_width": "initial"})
    raise ValueError(f"unknown self-check kind {kind!r}")


def _read_answer(question: dict, control):
    kind = question["kind"]
    if kind == "multi":
        return {o["label"] for o, box in zip(question["options"], control.children, strict=True)
                if box.value}
    if kind == "number":
        text = control.value.strip().replace(",", ".")
        try:
            return float(text)
        except ValueError:
            return text or None
    return control.value


def static_html(question: dict) -> str:
    """The question with its options and the answer folded away, for output without widgets."""
    options = "".join(f"<li>({escape(o['label'])}) {escape(o['text'])}</li>"
                      for o in question.get("options", []))
    if question["kind"] == "number":
        answer = f"{question['answer']:g} {escape(question.get('unit', ''))}"
    else:
        answer = ", ".join(f"({o['label']})" for o in question["options"] if o.get("correct"))
    return (f"<div class='painlab-check'><p><strong>Self-check.</strong></p>{_md(question['prompt'])}"
            f"<ul>{options}</ul><details><summary>Show the answer</summary><p>Answer: {answer}.</p>"
            f"{_md(question['explanation'])}</details></div>")


class SelfCheck:
    def __init__(self, question: dict):
        self.question = question

    def _repr_mimebundle_(self, include=None, exclude=None):
        fallback = {"text/html": static_html(self.question),
                    "text/plain": self.question["prompt"]}
        if under_nbgrader():
            return fallback
        bundle = dict(self.widget()._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle.update(fallback)
        return bundle

    def widget(self) -> widgets.VBox:
        control = _answer_control(self.question)
        button = make(widgets.Button, description="Check my answer", button_style="primary",
                      icon="check", tooltip="Check my answer (Enter when focused)",
                      layout={"width": "auto"})
        feedback = make(widgets.HTML, value="")

        def on_click(_):
            result = evaluate(self.question, _read_answer(self.question, control))
            mark = "<strong>✔</strong> " if result.correct else "<strong>✘</strong> "
            border = "#009E73" if result.correct else "#D55E00"
            message = _md(result.message)  # the mark opens the first paragraph, not a line of its own
            message = (message.replace("<p>", "<p>" + mark, 1) if message.startswith("<p>")
                       else mark + message)
            feedback.value = readable(message, attributes="role='status' aria-live='polite'",
                                      style=f"border-left:5px solid {border};padding:4px 10px")

        button.on_click(on_click)
        self.control, self.button, self.feedback = control, button, feedback
        prompt = make(widgets.HTML, readable("<strong>Self-check.</strong>"
                                             + _md(self.question["prompt"]),
                                             attributes="class='painlab-prompt'"))
        from painlab.widgets.keyboard import KeyboardSupport

        box = make(widgets.VBox, [prompt, control, button, feedback, make(KeyboardSupport)])
        box.add_class("painlab-self-check")
        return box


def self_check(question_id: str) -> SelfCheck:
    """Display a self-check: question, keyboard-operable answer control, Check button, feedback.

    Without a widget front end (or under nbgrader) the question is shown with its answer folded
    in a <details> element, so printed and exported copies still teach.
    """
    return SelfCheck(find_check(question_id))
