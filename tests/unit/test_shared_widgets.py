"""The course's widgets share their layout and style models (painlab.widgets.shared): each
model is one more comm, message and browser model, and they were most of a lesson's widgets."""

import ipywidgets as widgets

from painlab.widgets.shared import make, shared_layout


def test_widgets_with_the_same_settings_share_one_layout_and_one_style():
    first = make(widgets.Checkbox, description="a", layout={"width": "auto"},
                 style={"description_width": "initial"})
    second = make(widgets.Checkbox, description="b", layout={"width": "auto"},
                  style={"description_width": "initial"})
    other = make(widgets.Checkbox, description="c", layout={"width": "680px"})
    assert first.layout is second.layout is shared_layout(width="auto")
    assert first.style is second.style
    assert other.layout is not first.layout and other.style is not first.style
    assert first.layout.width == "auto" and other.layout.width == "680px"
    assert first.style.description_width == "initial"


def test_each_kind_of_style_has_its_own_model():
    button = make(widgets.Button, layout={"width": "auto"})
    html = make(widgets.HTML, "x", layout={"width": "auto"})
    box = make(widgets.VBox, [button, html])  # a box has a layout but no style
    assert button.layout is html.layout
    assert isinstance(button.style, widgets.ButtonStyle)
    assert type(html.style).__name__ == "HTMLStyle"
    assert box.layout is shared_layout()


def test_a_closed_model_is_not_given_to_a_new_widget():
    layout = shared_layout(height="31px")
    widgets.Widget.close(layout)
    fresh = make(widgets.HTML, "x", layout={"height": "31px"})
    assert fresh.layout is not layout and fresh.layout.comm is not None


def test_a_self_check_builds_its_options_on_shared_models():
    from painlab.selfchecks import load_checks
    from painlab.widgets.self_check import SelfCheck

    question = next(q for q in load_checks("01-refractory-pain").values() if q["kind"] == "multi")
    options = SelfCheck(question).widget().children[1].children
    assert len(options) == len(question["options"]) > 1
    assert len({id(box.layout) for box in options}) == 1
    assert len({id(box.style) for box in options}) == 1


def test_the_course_makes_its_widgets_through_make():
    """A widget made directly gets a layout (and style) model of its own again."""
    import ast

    from painlab import paths

    direct = []
    for path in sorted((paths.ROOT / "painlab").glob("**/*.py")):
        if path.name == "shared.py" or "devtools" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "widgets"
                    and node.func.attr[:1].isupper()):
                direct.append(f"{path.relative_to(paths.ROOT)}:{node.lineno} widgets.{node.func.attr}")
    assert direct == []
