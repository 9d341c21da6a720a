"""Hypothesis strategies for greentrade entities, dossiers, invalid input and chosen outcomes.

Install with the ``testing`` extra (``pip install 'greentrade[testing]'``). Every strategy is
public and composable; the reference with examples is ``docs/testing.md``. Modules by area:

- ``_base``: codes (`countries`, `hs_codes`, `locodes`, `currencies`, `uscc_codes`,
  `lei_codes`), `ids`, `texts`, `periods` and the replaceable leaves (`Leaves`, `decimals`);
- ``_standards``: `standard_designators`, `amendments`;
- ``_entities``: `identifiers`, `accreditations`, `sites`, `parties`, `specs`, `products`,
  `covered_products`, `carbon_footprints`, `epds`, `documents`, `shipment_lines`, `shipments`;
- ``_tenders``: `tenders`, `tender_items`, `required_documents`, `promises`;
- ``_dossiers``: `dossiers`, `dossier_json` (coherent wholes) and `json_values`;
- ``_invalid``: `invalid_dossiers` (`Mutation`: one defect and the finding it must produce);
- ``_outcomes``, ``_mixed``: `dossiers_with_outcome`, `mixed_dossiers` and the registry of
  outcome builders that plugins fill through the ``greentrade.strategies`` entry point;
  ``_targets``: `register_targets` and `OutcomeTarget` (builders from a plugin's table);
- ``_format2``: the value types of dossier format 2 (footprint details, product identifiers,
  source records, methods).
- ``_types``: `entity_strategies` (what ``st.from_type`` resolves), `register_type_strategies`
  (the same registration by hand);
- ``_settings``: the Hypothesis profile ``greentrade-engine`` (`ENGINE_PROFILE`, `ENGINE_SETTINGS`).
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in an environment without the extra
    raise ImportError(
        "greentrade.testing.strategies needs Hypothesis: pip install 'greentrade[testing]'"
    ) from exc

from greentrade.testing.strategies._base import (
    DEFAULT_SHIP_DATES,
    Leaves,
    core_categories,
    countries,
    currencies,
    decimals,
    hs_codes,
    ids,
    indexed_ids,
    lei_codes,
    locodes,
    periods,
    texts,
    uscc_codes,
)
from greentrade.testing.strategies._dossiers import dossier_json, dossiers, json_values
from greentrade.testing.strategies._entities import (
    accreditations,
    carbon_footprints,
    categories,
    covered_products,
    documents,
    epds,
    identifiers,
    parties,
    products,
    shipment_lines,
    shipments,
    sites,
    specs,
)
from greentrade.testing.strategies._format2 import (
    battery_footprints,
    declared_units,
    gwp_values,
    lifecycle_stage_values,
    methods,
    product_identifiers,
    source_records,
    verifications,
)
from greentrade.testing.strategies._invalid import MUTATION_KINDS, Mutation, invalid_dossiers
from greentrade.testing.strategies._mixed import MixedDossier, OutcomeLabel, merge_options, mixed_dossiers
from greentrade.testing.strategies._outcomes import (
    OUTCOME_BUILDER_GROUP,
    OutcomeDossier,
    check_outcome,
    dossiers_with_outcome,
    outcome_builders,
    outcome_config,
    outcome_dossiers,
    outcome_needs,
    outcome_of,
    outcome_plugins,
    outcome_problem,
    outcome_subjects,
    register_outcome_builder,
    register_outcome_judge,
    subject_kind,
)
from greentrade.testing.strategies._settings import ENGINE_PROFILE, ENGINE_SETTINGS
from greentrade.testing.strategies._standards import amendments, standard_designators
from greentrade.testing.strategies._targets import OutcomeTarget, register_targets
from greentrade.testing.strategies._tenders import promises, required_documents, tender_items, tenders
from greentrade.testing.strategies._types import entity_strategies, register_type_strategies, strategy_for

__all__ = [
    "DEFAULT_SHIP_DATES",
    "ENGINE_PROFILE",
    "ENGINE_SETTINGS",
    "MUTATION_KINDS",
    "OUTCOME_BUILDER_GROUP",
    "Leaves",
    "MixedDossier",
    "Mutation",
    "OutcomeDossier",
    "OutcomeLabel",
    "OutcomeTarget",
    "accreditations",
    "amendments",
    "battery_footprints",
    "carbon_footprints",
    "categories",
    "check_outcome",
    "core_categories",
    "countries",
    "covered_products",
    "currencies",
    "decimals",
    "declared_units",
    "documents",
    "dossier_json",
    "dossiers",
    "dossiers_with_outcome",
    "entity_strategies",
    "epds",
    "gwp_values",
    "hs_codes",
    "identifiers",
    "ids",
    "indexed_ids",
    "invalid_dossiers",
    "json_values",
    "lei_codes",
    "lifecycle_stage_values",
    "locodes",
    "merge_options",
    "methods",
    "mixed_dossiers",
    "outcome_builders",
    "outcome_config",
    "outcome_dossiers",
    "outcome_needs",
    "outcome_of",
    "outcome_plugins",
    "outcome_problem",
    "outcome_subjects",
    "parties",
    "periods",
    "product_identifiers",
    "products",
    "promises",
    "register_outcome_builder",
    "register_outcome_judge",
    "register_targets",
    "register_type_strategies",
    "required_documents",
    "shipment_lines",
    "shipments",
    "sites",
    "source_records",
    "specs",
    "standard_designators",
    "strategy_for",
    "subject_kind",
    "tender_items",
    "tenders",
    "texts",
    "uscc_codes",
    "verifications",
]
