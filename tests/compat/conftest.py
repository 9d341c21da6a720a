"""tests/compat holds a third-party-style plugin and a downstream-style suite written against
greentrade 0.2.0's API (docs/compatibility.md). tests/test_compat.py installs them from wheels
and runs them; greentrade's own test run does not collect them here."""

collect_ignore = ["plugin", "downstream"]
