import pytest

from greentrade.model import _codes


def test_country_list_is_complete():
    assert len(_codes.countries()) == 249
    assert _codes.check_country("CN") is None
    assert "not an ISO 3166-1" in _codes.check_country("XX")


def test_currency():
    assert _codes.check_currency("USD") is None
    assert _codes.check_currency("CNY") is None
    assert _codes.check_currency("XYZ")


@pytest.mark.parametrize("code", ["940541", "94054100", "9405410000", "854143", "850760", "850440", "902830"])
def test_hs_known(code):
    assert _codes.check_hs_code(code) is None


@pytest.mark.parametrize("code", ["940540", "9405", "94054", "940541000", "94.05.41", "ABCDEF"])
def test_hs_bad(code):
    assert _codes.check_hs_code(code)


def test_hs_nomenclature_is_hs2022():
    assert "photovoltaic" in _codes.hs_description("940541")
    # 6,940 rows less UN Comtrade's reporting section TOTAL (99, 9999, 999999 and the total).
    assert len(_codes.hs_nomenclature()) == 6936


def test_comtrade_reporting_codes_are_not_hs2022_subheadings():
    # "999999 Commodities not specified according to kind" passed as a valid HS 2022 code.
    assert _codes.check_hs_code("999999")
    assert _codes.check_hs_code("9999990000")
    assert "999999" not in _codes.hs_subheadings() and "99" not in _codes.hs_nomenclature()


def test_subheading_list_is_derived_from_the_nomenclature():
    six = {c for c in _codes.hs_nomenclature() if len(c) == 6 and c.isdigit()}
    # If hs2022.csv changes, regenerate data/hs2022-subheadings.txt (sorted, one code per line).
    assert _codes.hs_subheadings() == six


def test_uscc_check_character():
    # 91350100M000100Y43 is the example from GB 32100-2015's annex style; compute ours.
    body = "91330100MA2B3C4D5"
    code = body + _codes.uscc_check_char(body)
    assert _codes.check_uscc(code) is None
    wrong = body + ("0" if code[-1] != "0" else "1")
    assert "check character" in _codes.check_uscc(wrong)
    assert "18 characters" in _codes.check_uscc("123")
    assert "not allowed" in _codes.check_uscc("91330100MA2B3C4DIO")


def test_uscc_published_example():
    # Widely published valid code (Tencent Technology (Shenzhen) Co., Ltd.)
    assert _codes.check_uscc("9144030071526726XG") is None


def test_lei():
    # ISO 17442 example LEIs from the GLEIF register
    assert _codes.check_lei("5493001KJTIIGC8Y1R12") is None  # Bloomberg Finance L.P.
    assert _codes.check_lei("7LTWFZYICNSX8D621K86") is None  # Deutsche Bank AG
    assert "check digits" in _codes.check_lei("5493001KJTIIGC8Y1R13")
    assert _codes.check_lei("SHORT")
    body = "5493001KJTIIGC8Y1R"
    assert _codes.lei_check_digits(body) == "12"


@pytest.mark.parametrize(("code", "ok"), [("CNNGB", True), ("CNSHA", True), ("AEJEA", True), ("CN NGB", False),
                                          ("cnngb", False), ("XXNGB", False), ("CNNG1", False), ("CNNG2", True)])
def test_locode(code, ok):
    assert (_codes.check_locode(code) is None) is ok
