"""Reciprocity: does one side's past activity predict the other's, beyond their own past and the tides?

``analysis.py`` holds :func:`reciprocity` and its result (VAR Granger tests, impulse responses); ``spec.py``
the checks behind its keywords; ``count_models.py`` the same question asked with Poisson, negative binomial and
logit models; ``text.py`` the findings in words. The shift p-values they compare with are a null, in
``escalation.chance.shift``."""

from .analysis import ReciprocityResult, reciprocity, side_series

__all__ = ["ReciprocityResult", "reciprocity", "side_series"]
