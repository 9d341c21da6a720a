"""What plugins contribute: programs, rules, categories, catalog entries; what rules yield."""

from __future__ import annotations

import datetime as dt
import enum
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs

from greentrade.i18n import Message
from greentrade.model import Dossier, Period, Shipment
from greentrade.model import _pointer as _pointers
from greentrade.model._standards import StandardDesignator

if TYPE_CHECKING:
    from greentrade.rules._catalog import Catalog
    from greentrade.rules._profiles import BuyerProfile
    from greentrade.rules._report import Outcome

T = TypeVar("T")

__all__ = [
    "Basis",
    "CatalogEntry",
    "Category",
    "Citation",
    "Effect",
    "Finding",
    "Hit",
    "Program",
    "Rule",
    "RuleContext",
    "Severity",
    "Status",
]


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Effect(enum.StrEnum):
    """What a finding means for a program's status."""

    VIOLATION = "violation"  # with severity error: the shipment is not eligible
    UNDETERMINED = "undetermined"  # data or host configuration is missing
    NOT_APPLICABLE = "not_applicable"  # out of the program's scope
    NOTE = "note"  # information only


class Basis(enum.StrEnum):
    """What a rule's verdict rests on.

    Only ``stated`` and ``host`` rules may yield a `Effect.VIOLATION` (and so make a
    shipment not eligible); the engine downgrades a violation of an ``inferred`` or
    ``practice`` rule and reports the plugin (``GT-ENGINE-006``).
    """

    STATED = "stated"  # the source says it (the citation quotes the sentence or article)
    INFERRED = "inferred"  # our reading of what the source implies
    PRACTICE = "practice"  # common practice or advice that no source makes a requirement
    HOST = "host"  # a requirement the host configured

    @property
    def binding(self) -> bool:
        """Whether a rule of this basis may yield a violation."""
        return self in (Basis.STATED, Basis.HOST)


class Status(enum.StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    UNDETERMINED = "undetermined"
    NOT_APPLICABLE = "not_applicable"


@attrs.frozen
class Citation:
    """The source of a rule or value: authority, title, date and a reference (URL or document)."""

    authority: str
    title: str
    reference: str
    date: dt.date | None = None
    note: str | None = None

    def __str__(self) -> str:
        when = f", {self.date.isoformat()}" if self.date else ""
        return f"{self.authority}: {self.title}{when} ({self.reference})"


@attrs.frozen
class Program:
    """A pilot or scheme (e.g. a customs green channel) whose status is derived per shipment."""

    id: str
    title: str
    authority: str
    effective: Period
    citation: Citation
    #: Shown in the outcome when a shipment is eligible (what the program promises, as announced).
    eligible_summary: str = "all rules of the program are satisfied"
    #: How many standards the program's catalog has according to its source (known or not).
    catalog_size: int | None = None


@attrs.frozen
class Category:
    """A product category of the controlled vocabulary."""

    id: str
    title: str
    hs_codes: tuple[str, ...] = ()
    citation: Citation | None = None


@attrs.frozen
class CatalogEntry:
    """A standard in a program's standards catalog, with its current and superseded editions."""

    designator: StandardDesignator
    title: str
    citation: Citation
    superseded: tuple[StandardDesignator, ...] = ()
    #: Other designators of the current edition (e.g. with an amendment: ISO 50001:2018/Amd 1:2024).
    also_current: tuple[StandardDesignator, ...] = ()
    categories: tuple[str, ...] = ()
    program: str | None = None
    note: str | None = None


#: A message's named arguments, as sorted (name, value) pairs (hashable, so findings stay
#: hashable); values are strings, numbers or booleans.
Args = tuple[tuple[str, str | int | float | bool], ...]


def args_tuple(value: Mapping[str, Any] | Iterable[tuple[str, Any]] | None) -> Args:
    """`Args` from a mapping (or pairs); keys sorted, values kept as given."""
    if not value:
        return ()
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted(((str(k), v) for k, v in items), key=lambda kv: kv[0]))


@attrs.frozen
class Hit:
    """What a rule's check yields; the engine turns it into a `Finding`."""

    effect: Effect
    message: str
    pointer: str
    subject: str | None = None
    severity: Severity | None = None
    needs: str | None = None
    #: What this hit rests on when it differs from the rule's basis: ``host`` when the host's
    #: configuration decided it, ``inferred`` or ``practice`` for a weaker reading. A hit
    #: cannot claim ``stated`` for a rule that is not.
    basis: Basis | None = attrs.field(default=None, converter=attrs.converters.optional(Basis))
    #: The stable id of the message's template (report/2 ``message_id``); None: the rule's id,
    #: and the message is rendered only as written.
    message_id: str | None = None
    #: The named arguments of the template (report/2 ``args``); also those of `needs_id`.
    args: Args = attrs.field(factory=tuple, converter=args_tuple)
    #: The stable id of the `needs` text's template (report/2 ``needs_id``).
    needs_id: str | None = None
    #: True for a premise the outcome rests on (`RuleContext.assume`): listed as one of the
    #: outcome's ``assumptions`` when the program is eligible or not applicable.
    assumption: bool = False


@attrs.frozen
class Finding:
    """One finding of a report."""

    rule: str
    severity: Severity
    effect: Effect
    message: str
    pointer: str
    subject: str | None = None
    program: str | None = None
    shipment: str | None = None
    remediation: str | None = None
    needs: str | None = None
    citation: Citation | None = None
    basis: Basis = Basis.STATED
    #: report/2: the message's template id (the rule id when the rule gave none) and arguments.
    message_id: str | None = None
    args: Args = attrs.field(default=(), converter=args_tuple)
    needs_id: str | None = None
    #: A premise its outcome rests on (from `RuleContext.assume`); not written to the JSON form
    #: of a finding: the outcome lists it under ``assumptions``.
    assumption: bool = attrs.field(default=False, eq=False)


Check = Callable[["RuleContext"], Iterable[Hit]]


def _rule_id(_inst: Any, _attr: Any, value: str) -> None:
    import re

    if not re.match(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\Z", value):
        raise ValueError(f"rule id {value!r} must be namespaced like 'CN-GC-004'")


#: What a rule may declare it yields (`Rule.yields`): ``pass`` (nothing but notes) and the kinds
#: of finding (a note of severity warning counts as ``warning``). Rule-case coverage counts them.
YIELDS = ("pass", "violation", "warning", "undetermined", "not_applicable", "note")


def _yields(_inst: Any, _attr: Any, value: tuple[str, ...]) -> None:
    unknown = [v for v in value if v not in YIELDS]
    if unknown:
        raise ValueError(f"yields {unknown!r}: each must be one of {', '.join(YIELDS)}")


#: The default of `Rule.basis`: the rule was built without one (deprecated, see `Rule`).
_NO_BASIS: Any = object()


def _basis(value: Any) -> Basis:
    return value if value is _NO_BASIS else Basis(value)


@attrs.frozen
class Rule:
    """A rule: id, severity, source and a check that yields hits.

    ``scope`` says whether the check runs once per shipment (the default) or once per
    dossier; dossier rules run after all shipments and see their outcomes in
    ``ctx.outcomes``. ``role="scope"`` rules decide whether their program applies to a
    shipment; they run first, and when one yields a ``not_applicable`` hit the program's
    other rules are not run for that shipment.

    ``basis`` (required) says what the rule's verdicts rest on (see `Basis`): only a
    ``stated`` or ``host`` rule may yield a violation. A rule without it still loads in 0.3,
    read as ``inferred``, with a `DeprecationWarning` (deprecated; an error from 0.4 on).
    """

    id: str = attrs.field(validator=_rule_id)
    title: str
    severity: Severity = attrs.field(converter=Severity)
    check: Check = attrs.field(eq=False, repr=False)
    citation: Citation
    remediation: str = ""
    program: str | None = None
    effective: Period = attrs.field(factory=Period)
    scope: Literal["shipment", "dossier"] = "shipment"
    role: Literal["scope", "check", "data"] = "check"
    description: str = ""
    basis: Basis = attrs.field(kw_only=True, default=_NO_BASIS, converter=_basis)
    #: True for a rule built without ``basis`` (deprecated in 0.3: read as ``inferred``, with a
    #: DeprecationWarning and a GT-ENGINE-009 note naming the plugin; an error from 0.4 on).
    no_basis: bool = attrs.field(kw_only=True, default=False, eq=False, repr=False)
    #: The effects the rule can yield (`YIELDS`), when its check's code suggests more than it
    #: can reach; empty: read from the code. Used by rule-case coverage (docs/testing.md).
    yields: tuple[str, ...] = attrs.field(kw_only=True, default=(), converter=tuple, validator=_yields)

    def __attrs_post_init__(self) -> None:
        if self.basis is _NO_BASIS:
            warnings.warn(
                f"Rule {self.id!r} declares no basis; it is read as basis='inferred'. A Rule without "
                "basis= is deprecated since greentrade 0.3 and an error from 0.4 on: say basis='stated', "
                "'inferred', 'practice' or 'host' (docs/hooks.md)",
                DeprecationWarning, stacklevel=3,
            )
            object.__setattr__(self, "basis", Basis.INFERRED)
            object.__setattr__(self, "no_basis", True)


@attrs.frozen
class RuleContext:
    """Everything a rule's check may look at. Rules must not keep it or change it."""

    dossier: Dossier
    as_of: dt.date
    shipment: Shipment | None
    settings: Mapping[str, Any]
    reference: Mapping[str, Any]
    categories: Mapping[str, Category]
    catalog: Catalog
    _pointers: Mapping[int, str] = attrs.field(alias="pointers")
    profiles: Mapping[str, BuyerProfile] = attrs.field(factory=dict)
    #: The loaded programs by id.
    programs: Mapping[str, Program] = attrs.field(factory=dict)
    _memo: dict[Any, Any] = attrs.field(factory=dict, alias="memo", repr=False)
    #: Program outcomes by (program id, shipment id); filled for dossier-scope rules, which
    #: run after every shipment has been evaluated (e.g. to check promises in tenders).
    outcomes: Mapping[tuple[str, str], Outcome] = attrs.field(factory=dict)
    #: Ids of rules the host made binding (``[plugins.<section>] require = [...]``).
    required: frozenset[str] = frozenset()

    # -- locating values -------------------------------------------------------------------
    def pointer(self, obj: object, *path: str | int) -> str:
        """The JSON Pointer of an entity of the dossier (plus an optional path inside it).

        Raises `LookupError` for an object that is not part of the dossier (a bug in the
        rule, which the engine reports as ``GT-ENGINE-003`` rather than a wrong pointer).
        """
        base = self._pointers.get(id(obj))
        if base is None:
            raise LookupError(f"{type(obj).__name__} is not an entity of this dossier; cannot locate it")
        return base + _pointers.join(*path)

    def memo(self, key: Any, factory: Callable[[], T]) -> T:
        """Compute a value once per validation run and share it between rules.

        The cache lives as long as one `Engine.validate` call, so plugins can share derived
        data (an analysis of a shipment, a merged catalog) without module-level state. Put
        your plugin's name and everything the value depends on (shipment id, as-of date)
        in `key`.
        """
        try:
            return self._memo[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._memo[key] = factory()
            return value

    def binding(self, rule_id: str) -> bool:
        """Whether the host made the rule binding (``require = ["RULE-ID"]`` in a plugin's
        configuration section): an ``inferred`` or ``practice`` rule may then yield violations,
        which the report shows with basis ``host``."""
        return rule_id in self.required

    def config(self, section: str) -> Mapping[str, Any]:
        """The host's validated settings for a configuration section, with the defaults of the
        plugin's schema for keys the host left out (empty if the section is unknown)."""
        value = self.settings.get(section, {})
        return value if isinstance(value, Mapping) else {}

    # -- making hits -------------------------------------------------------------------------
    def _hit(self, effect: Effect, message: str, at: object, path: Sequence[str | int], **kw: Any) -> Hit:
        pointer = at if isinstance(at, str) else self.pointer(at, *path)
        subject = kw.pop("subject", None)
        if subject is None and not isinstance(at, str):
            subject = getattr(at, "id", None) or getattr(at, "product", None)
        if isinstance(message, Message) and message.id:  # made with `msg`: its id and arguments go with it
            kw.setdefault("message_id", message.id)
            kw.setdefault("args", message.args)
        needs = kw.get("needs")
        if isinstance(needs, Message) and needs.id:  # the needs' arguments join the message's
            kw.setdefault("needs_id", needs.id)
            kw["args"] = {**needs.args, **dict(kw.get("args") or {})}
        return Hit(effect=effect, message=message, pointer=pointer, subject=subject, **kw)

    def violation(self, message: str, at: object, *path: str | int, **kw: Any) -> Hit:
        """A breach of the rule; with an error rule the program is not eligible."""
        return self._hit(Effect.VIOLATION, message, at, path, **kw)

    def warning(self, message: str, at: object, *path: str | int, **kw: Any) -> Hit:
        """A warning that does not change the status (what an ``inferred`` or ``practice`` rule
        reports instead of a violation)."""
        kw.setdefault("severity", Severity.WARNING)
        return self._hit(Effect.NOTE, message, at, path, **kw)

    def undetermined(self, message: str, at: object, *path: str | int, needs: str, **kw: Any) -> Hit:
        """The rule cannot decide; `needs` names the data or configuration that would let it."""
        return self._hit(Effect.UNDETERMINED, message, at, path, needs=needs, **kw)

    def not_applicable(self, message: str, at: object, *path: str | int, **kw: Any) -> Hit:
        """The program does not apply (only meaningful from ``role="scope"`` rules)."""
        return self._hit(Effect.NOT_APPLICABLE, message, at, path, **kw)

    def note(self, message: str, at: object, *path: str | int, **kw: Any) -> Hit:
        """Information that does not change the status (e.g. out-of-scope lines)."""
        return self._hit(Effect.NOTE, message, at, path, **kw)

    def assume(self, message: str, at: object, *path: str | int, needs: str, **kw: Any) -> Hit:
        """A premise of ours the outcome rests on: an ``inferred`` or ``practice`` reading that
        decides ``eligible`` or ``not_applicable`` (say, an accreditation standing in for
        "recognized"). It is an info note; the outcome lists it under ``assumptions``, and a
        host with ``[greentrade] assumptions = "undetermined"`` gets ``undetermined`` instead,
        naming `needs` (what would decide it)."""
        kw.setdefault("basis", Basis.INFERRED)
        return self._hit(Effect.NOTE, message, at, path, needs=needs, assumption=True, **kw)
