"""secrets.py: a Secret never prints its value; the Redactor masks it wherever it appears in a text."""

from __future__ import annotations

from pusher_doctor.config.secret import MASK, Redactor, Secret

VALUE = "7ad3773142a6692b25b8"


def test_secret_never_shows_its_value():
    secret = Secret(VALUE)
    old_styles = ["{}".format(secret), "%s" % secret, "%r" % secret]  # noqa: UP031, UP032 - each path tested
    shown = [str(secret), repr(secret), f"{secret}", f"{secret!r}", format(secret), *old_styles,
             str([secret]), str({"secret": secret})]
    assert all(VALUE not in text for text in shown)
    assert str(secret) == MASK


def test_secret_reveals_its_value_only_on_request():
    assert Secret(VALUE).reveal() == VALUE


def test_secrets_compare_by_value():
    assert Secret(VALUE) == Secret(VALUE)
    assert Secret(VALUE) != Secret("other-value")
    assert Secret(VALUE) != VALUE
    assert not Secret("")


def test_redactor_masks_every_occurrence():
    redact = Redactor(Secret(VALUE))
    text = f"signed with {VALUE}; url ?secret={VALUE}&x=1 ({VALUE[:6]} is only a prefix)"
    masked = redact(text)
    assert VALUE not in masked
    assert masked.count(MASK) == 2
    assert VALUE[:6] in masked


def test_redactor_accepts_plain_strings_and_ignores_none():
    assert Redactor(VALUE, None)(f"a {VALUE} b") == f"a {MASK} b"


def test_redactor_masks_the_inner_value_of_a_quoted_setting():
    redact = Redactor(f'"{VALUE}"')
    assert redact(f"server said: bad secret {VALUE}") == f"server said: bad secret {MASK}"


def test_redactor_masks_the_inner_value_of_a_setting_with_spaces():
    redact = Redactor(f"  {VALUE} ")
    assert VALUE not in redact(f"got {VALUE}.")


def test_redactor_masks_each_of_several_secrets():
    masked = Redactor(VALUE, "second-secret")(f"{VALUE} and second-secret")
    assert masked == f"{MASK} and {MASK}"


def test_redactor_ignores_values_shorter_than_four_characters():
    redact = Redactor("abc")
    assert redact("abc is a common word: abcdef") == "abc is a common word: abcdef"


def test_redactor_masks_a_value_of_exactly_four_characters():
    assert Redactor("wxyz")("x wxyz x") == f"x {MASK} x"


def test_a_secret_cut_short_before_masking_is_still_masked_beside_the_cut() -> None:
    secret = "S3CRET-sentinel-9f8e7d6c"
    redact = Redactor(secret)
    assert redact("server said: xx S3CRET-sen…") == f"server said: xx {MASK}…"
    assert redact("…tinel-9f8e7d6c and more") == f"…{MASK} and more"
    assert redact("an ordinary cut… here") == "an ordinary cut… here"


def test_a_shortened_key_is_not_mistaken_for_a_cut_secret() -> None:
    redact = Redactor("healthy-secret-3f9a", keys=("healthy-key",))
    assert redact("PUSHER_KEY = healthy-key") == "PUSHER_KEY = health…"
