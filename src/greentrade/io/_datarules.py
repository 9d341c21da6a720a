"""The core's own data rules (GT-SCHEMA-*, GT-DATA-*, GT-REF-*): their texts and citations,
and the findings the reader and the reference checks make of them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from greentrade.i18n import Message
from greentrade.model import _pointer as _pointers
from greentrade.rules._rules import Citation, Effect, Finding, Rule, RuleContext, Severity

__all__ = ["CORE_RULES", "clip", "finding", "to_pointer"]


_FORMAT = Citation(
    authority="greentrade",
    title="greentrade dossier format 1: the dossier JSON Schema (greentrade schema dossier)",
    reference="https://greentrade.dev/schemas/v1/dossier.schema.json",
)


def _builtin(_ctx: RuleContext) -> Iterator[Any]:
    """Data rules are applied by the loader, before any program rule runs."""
    return iter(())


def _data_rule(id: str, title: str, remediation: str, citation: Citation = _FORMAT,
               severity: Severity = Severity.ERROR) -> Rule:
    return Rule(
        id=id, title=title, severity=severity, check=_builtin, citation=citation,
        remediation=remediation, scope="dossier", role="data", basis="stated",
    )


CORE_RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        _data_rule(
            "GT-SCHEMA-001", "The dossier conforms to the dossier schema",
            "Fix the value at the pointer so that it matches the schema (`greentrade schema dossier`).",
        ),
        _data_rule(
            "GT-SCHEMA-002", "No unknown keys",
            "Remove the key or correct its spelling; `greentrade schema NAME` lists the allowed keys.",
        ),
        _data_rule(
            "GT-SCHEMA-003", "No duplicate keys",
            "Give each key of a JSON object once; which of two values was meant cannot be told.",
        ),
        _data_rule(
            "GT-DATA-001", "Values are valid codes, dates and quantities",
            "Correct the value: codes are checked against ISO 3166-1, ISO 4217, UN/LOCODE syntax, "
            "HS 2022, GB 32100-2015 and ISO 17442; dates must be real calendar dates in order.",
            Citation(
                authority="greentrade",
                title="Code lists: ISO 3166-1, ISO 4217, UN/LOCODE, HS 2022 (WCO), GB 32100-2015, ISO 17442",
                reference=(
                    "ISO 3166-1:2020 and ISO 4217:2015 (https://www.iso.org); UN/LOCODE (UNECE, "
                    "https://unece.org/trade/uncefact/unlocode); Harmonized System 2022 nomenclature (WCO, "
                    "https://www.wcoomd.org); GB 32100-2015 (SAC); ISO 17442-1:2020"
                ),
            ),
        ),
        _data_rule(
            "GT-DATA-002", "An accreditation's recognition arrangement fits its standard",
            "State the arrangement that covers the standard: the ILAC MRA for testing laboratories "
            "(ISO/IEC 17025) and inspection bodies (ISO/IEC 17020), the IAF MLA for certification "
            "bodies (ISO/IEC 17065, ISO/IEC 17021-1) and validation and verification bodies (ISO/IEC "
            "17029, ISO 14065); in format 1, which cannot state the ILAC MRA, migrate to format 2 "
            "(greentrade migrate). Until then the mark is not counted.",
            Citation(
                authority="IAF; ILAC",
                title="IAF Multilateral Recognition Arrangement (IAF MLA) and ILAC Mutual Recognition "
                      "Arrangement (ILAC MRA): scopes of recognition",
                reference="IAF MLA (https://iaf.nu/en/about-iaf-mla/); ILAC MRA "
                          "(https://ilac.org/ilac-mra-and-signatories/)",
            ),
            Severity.WARNING,
        ),
        _data_rule(
            "GT-REF-001", "References resolve",
            "Add the referenced entity to the dossier or correct the id.",
        ),
        _data_rule(
            "GT-REF-002", "Ids are unique",
            "Give each entity of a collection its own id.",
        ),
        _data_rule(
            "GT-REF-003", "Product categories are known",
            "Use a category of the vocabulary (`greentrade categories`) or install the plugin that adds it.",
        ),
    )
}


def to_pointer(path: Any) -> str:
    """The JSON Pointer of a path of keys and indexes."""
    return _pointers.join(*path)


def finding(rule_id: str, message: str, path: Any, subject: str | None = None) -> Finding:
    """A violation of the core data rule `rule_id` at `path` (a JSON Pointer or a path)."""
    rule = CORE_RULES[rule_id]
    said = message if len(message) <= 500 else clip(message, 500)  # a clipped message keeps no id
    return Finding(
        rule=rule_id, severity=rule.severity, effect=Effect.VIOLATION, message=said,
        pointer=path if isinstance(path, str) else to_pointer(path), subject=subject,
        remediation=rule.remediation, citation=rule.citation,
        message_id=said.id if isinstance(said, Message) and said.id else None,
        args=said.args if isinstance(said, Message) and said.id else None,
    )


def clip(text: str, limit: int = 40) -> str:
    """`text`, shortened to `limit` characters for a message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
