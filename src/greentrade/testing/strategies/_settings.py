"""A Hypothesis profile for suites that run the engine on many examples.

With Hypothesis' default settings a failing property runs the *explain* phase, which re-runs
the engine on many variations of the minimal example to say which parts could vary: with
dossiers that made one failing test cost 25-28 s of CPU (issue #24). The profile leaves that
phase out (shrinking still finds the minimal example), sets a deadline that catches a hang
but not a loaded machine, and silences the health check that dossier generation trips.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, Phase, settings

__all__ = ["ENGINE_PROFILE", "ENGINE_SETTINGS"]

#: The profile's name: ``settings.load_profile(ENGINE_PROFILE)`` in a conftest.py, or
#: ``--hypothesis-profile=greentrade-engine`` on pytest's command line.
ENGINE_PROFILE = "greentrade-engine"

#: The profile's settings, also usable as a decorator (``@ENGINE_SETTINGS``) on one test.
ENGINE_SETTINGS = settings(
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),  # no Phase.explain
    deadline=timedelta(seconds=5),
    max_examples=50,
    suppress_health_check=(HealthCheck.too_slow, HealthCheck.data_too_large),
    print_blob=True,
)

settings.register_profile(ENGINE_PROFILE, ENGINE_SETTINGS)
