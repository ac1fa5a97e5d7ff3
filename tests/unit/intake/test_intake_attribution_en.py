"""English attribution: pre- and post-posed speakers, quotes, relays, according to."""

from __future__ import annotations

import datetime as dt

from athar.intake import extract


def _claims(text: str, source: str = "Wire"):
    return extract(text, published=dt.date(2019, 10, 4), source=source).claims


def test_speaker_said_that() -> None:
    text = "The Syrian Observatory for Human Rights said two helicopters had dropped the bombs."
    (c,) = _claims(text)
    assert c.speaker == "The Syrian Observatory for Human Rights"
    assert c.speaker_normalized == "Syrian Observatory for Human Rights"
    assert c.speaker_type == "ngo"
    assert c.claim == "two helicopters had dropped the bombs"


def test_postposed_speaker() -> None:
    text = "At least three people were killed in the attack on the town, a war monitor said."
    (c,) = _claims(text)
    assert c.verb == "said"
    assert c.claim == "At least three people were killed in the attack on the town"


def test_quote_then_speaker_told_media_is_via() -> None:
    text = ('"Our volunteers smelled chlorine as soon as they arrived," Mahmoud Qassem, a rescue '
            'team leader, told Levant Wire by phone.')
    (c,) = _claims(text)
    assert c.direct_quote
    assert c.claim == "Our volunteers smelled chlorine as soon as they arrived"
    assert c.speaker_normalized.startswith("Mahmoud Qassem")
    assert c.via == "Levant Wire"


def test_denied_and_coordinated_accused_share_speaker() -> None:
    text = ("Syria's foreign ministry denied that government forces had used chemical weapons "
            "and accused militants of staging the incident.")
    claims = _claims(text)
    assert claims[0].speaker_normalized == "Syrian Ministry of Foreign Affairs"
    assert claims[0].verb == "denied"
    assert any(c.verb == "accused" and c.speaker_normalized == claims[0].speaker_normalized
               for c in claims)


def test_pronoun_resolves_to_named_speaker() -> None:
    text = ('Major General Yuri Sokolov said his officers had warned of an attack. '
            '"We informed our partners in advance," he told reporters.')
    claims = _claims(text)
    quote = [c for c in claims if c.direct_quote][0]
    assert quote.speaker == "Major General Yuri Sokolov"  # the last mention, as the dev set does
    assert quote.speaker_normalized == "Major General Yuri Sokolov"


def test_according_to() -> None:
    text = ("In April 2017, a sarin attack on Khan Shaykhun killed more than 80 people, "
            "according to the United Nations.")
    claims = [c for c in _claims(text) if c.verb == "according to"]
    assert claims and claims[0].speaker_normalized == "United Nations"
