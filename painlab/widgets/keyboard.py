"""Keyboard and screen-reader support for the ipywidgets controls of a course display.

ipywidgets' toggle buttons are separate buttons (each a Tab stop, arrow keys ignored, and in
JupyterLab an arrow key moved the focus to the next cell), its radio buttons are separate Tab
stops, and its slider handles have no accessible name. A ``KeyboardSupport`` widget placed in a
display's box fixes that in the browser (keyboard.js): toggle buttons and radio buttons become
WAI-ARIA radio groups (one Tab stop, arrow keys choose, named by their label) and each slider
handle is named by its label. The widget models are unchanged, so the kernel sees the same values.
It draws nothing.
"""

from pathlib import Path

import anywidget


class KeyboardSupport(anywidget.AnyWidget):
    _esm = Path(__file__).with_name("keyboard.js")
    # ipywidgets gives each radio option one fixed line (height and line-height): a long option
    # wrapped onto the option below it.
    _css = (".jupyter-widget-radio-box label, .widget-radio-box label "
            "{ display: flex; align-items: baseline; height: auto; line-height: 1.4; "
            "min-height: var(--jp-widgets-radio-item-height); padding: 2px 0; } "
            ".jupyter-widget-radio-box label input, .widget-radio-box label input "
            "{ flex: none; order: -1; margin: 0 0.5em 0 0; }")
