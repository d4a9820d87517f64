"""The course's widgets share their layout and style models.

ipywidgets gives every widget a Layout model of its own, and most widgets a style model too: each
one more model that the kernel opens a comm for and sends, that nbclient keeps and that the
browser builds. In lesson 01 they were 114 of its 181 widgets. ipywidgets lets widgets share a
layout, and a style, so here there is one Layout per distinct set of settings and one style
model per kind of style and settings, in each kernel.

A shared model must not be changed after it is made, since every widget that shares it would
change: give a widget another one instead (``widget.layout = shared_layout(...)``). ipywidgets'
own AppLayout, GridspecLayout and TwoByTwoLayout write into their children's layouts: do not put
widgets made here in them.
"""

import ipywidgets as widgets

_MODELS: dict = {}


def _shared(kind, settings: dict):
    key = (kind, tuple(sorted(settings.items())))
    model = _MODELS.get(key)
    # a model closed in the kernel (Widget.close_all) or by the front end is not reused
    if model is None or model.comm is None or getattr(model.comm, "_closed", False):
        model = _MODELS[key] = kind(**settings)
    return model


def shared_layout(**settings) -> widgets.Layout:
    """The kernel's one Layout with these settings (e.g. ``width="auto"``)."""
    return _shared(widgets.Layout, settings)


def make(kind, /, *args, layout: dict | None = None, style: dict | None = None, **traits):
    """A ``kind`` widget (``widgets.HTML``, ``widgets.Checkbox``, ...) made with ``args`` and
    ``traits``, whose layout (and style, if it has one) is shared with every widget made here
    with the same ``layout`` (``style``) settings."""
    models = {"layout": shared_layout(**(layout or {}))}
    style_trait = kind.class_traits().get("style")
    if style_trait is not None:
        models["style"] = _shared(style_trait.klass, style or {})
    elif style:
        raise TypeError(f"{kind.__name__} has no style")
    return kind(*args, **traits, **models)
