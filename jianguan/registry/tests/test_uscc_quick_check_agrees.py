"""``uscc.quick_valid`` (the importer's fast path) gives exactly the answer of ``invalid_reason(code) is None``:
for generated valid codes, for codes with one character changed, and for arbitrary 18-character strings."""

from hypothesis import given, settings
from hypothesis import strategies as st

from jianguan.registry import uscc

CODE_CHARS = uscc.ALPHABET + "IOSVZ"


@given(st.sampled_from(["410402", "410482", "110000"]), st.sampled_from("123"), st.integers(0, 10**8))
def test_generated_codes_are_quick_valid(division, kind, serial):
    code = uscc.generate(division, kind, serial)
    assert uscc.quick_valid(code) and uscc.invalid_reason(code) is None


@settings(max_examples=400)
@given(st.integers(0, 10**8), st.integers(0, 17), st.sampled_from(CODE_CHARS))
def test_a_changed_character_gets_the_same_verdict(serial, position, ch):
    code = uscc.generate("410402", "1", serial)
    changed = code[:position] + ch + code[position + 1:]
    assert uscc.quick_valid(changed) == (uscc.invalid_reason(changed) is None)


@settings(max_examples=400)
@given(st.text(alphabet=CODE_CHARS + "0123456789", min_size=16, max_size=19))
def test_arbitrary_strings_get_the_same_verdict(text):
    assert uscc.quick_valid(text) == (uscc.invalid_reason(text) is None)


def test_the_other_authorities_are_accepted_alike():
    code = "N2410402MA000004XL"
    assert uscc.quick_valid(code) == (uscc.invalid_reason(code) is None)
