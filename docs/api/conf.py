"""Sphinx configuration of the API reference, built from the numpydoc docstrings (``sphinx-build -W``)."""

project = "escalation"
author = "escalation developers"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon"]
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
# pandas, numpy and matplotlib types are named in signatures; nitpicky cross-references are not checked
nitpicky = False
html_theme = "alabaster"
exclude_patterns = ["_build"]
suppress_warnings = ["autodoc.import_object"]
napoleon_use_ivar = True
