"""Public code-list checks for plugin authors and hosts.

Each ``check_*`` function returns None for a valid value, or a message saying what is wrong.
"""

from greentrade.model._codes import (
    check_country,
    check_currency,
    check_hs_code,
    check_identifier,
    check_lei,
    check_locode,
    check_uscc,
    countries,
    currencies,
    hs_description,
    lei_check_digits,
    uscc_check_char,
)

__all__ = [
    "check_country",
    "check_currency",
    "check_hs_code",
    "check_identifier",
    "check_lei",
    "check_locode",
    "check_uscc",
    "countries",
    "currencies",
    "hs_description",
    "lei_check_digits",
    "uscc_check_char",
]
