"""Who answered whom: the linking rule (``_rule``: stated links and the reversed-dyad search within a window),
the chains it makes (``chains``: :func:`escalation.link`, :func:`escalation.chains`) and episodes of
back-and-forth separated by calm (``episodes``). Hawkes link probabilities are a model, fitted in
``escalation.stats.hawkes.dyadic``; ``chains(method="hawkes")`` asks it."""
