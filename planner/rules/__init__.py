"""The rule catalogue (catalogue.py) and one module per rule.

The catalogue is loaded first, whichever rule module is imported first: it defines
`Rule` and then imports every rule module, so a rule module imported on its own
would otherwise meet a half-loaded catalogue.
"""

from planner.rules import catalogue  # noqa: F401
