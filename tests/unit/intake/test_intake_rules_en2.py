"""English attribution rules added for real wire copy (sentences written for these tests)."""

from __future__ import annotations

import datetime as dt

from athar.intake import extract


def _claims(text: str, source: str = "Wire"):
    return extract(text, published=dt.date(2021, 3, 4), source=source).claims


def test_postposed_tag_with_weekday() -> None:
    text = ("Artillery shells carrying a toxic gas hit the market of the town, "
            "a spokesman for the health directorate said Wednesday.")
    (c,) = _claims(text)
    assert c.speaker == "a spokesman for the health directorate"
    assert c.claim == "Artillery shells carrying a toxic gas hit the market of the town"


def test_postposed_tag_in_a_statement_is_not_outlet_voice() -> None:
    text = ("Two helicopters dropped barrels of chlorine on the village, the monitoring group "
            "said in a statement on Friday.")
    claims = _claims(text)
    assert [c.speaker_type for c in claims] != ["unattributed_outlet_voice"]
    assert claims[0].speaker == "the monitoring group"


def test_name_and_title_then_told_agency_gives_via() -> None:
    text = ("Warplanes struck the clinic with rockets carrying chlorine, Samir Haddad, "
            "a local nurse, told Levant Agency.")
    (c,) = _claims(text)
    assert c.speaker == "Samir Haddad"
    assert c.via == "Levant Agency"
    assert c.claim == "Warplanes struck the clinic with rockets carrying chlorine"


def test_verb_then_adjunct_then_that() -> None:
    text = "The inspectors reported Thursday that sarin was likely used in the northern town."
    (c,) = _claims(text)
    assert c.speaker == "The inspectors"
    assert c.claim == "sarin was likely used in the northern town"


def test_interrupted_tag_span_runs_across() -> None:
    text = ("Dr. Nadia Karim said the clinic was full. The smoke, she said, had sickened about forty "
            "families in the camp, some of whom, she added, could not breathe.")
    claims = [c for c in _claims(text) if c.verb in ("said", "added")][1:]
    assert [c.claim for c in claims] == [
        "The smoke, she said, had sickened about forty families in the camp",
        "some of whom, she added, could not breathe",
    ]
    assert {c.speaker for c in claims} == {"Dr. Nadia Karim"}


def test_pronoun_resolves_to_the_person_not_the_organisation() -> None:
    text = ("The Health Ministry said 12 people were treated. Omar Yilmaz, its director, said "
            "the symptoms matched chlorine. He said the hospital had run out of oxygen.")
    he = [c for c in _claims(text) if c.claim.startswith("the hospital")][0]
    assert he.speaker is not None and he.speaker.startswith("Omar Yilmaz")


def test_noun_after_determiner_is_not_a_verb() -> None:
    text = "The report notes that the canisters were dropped from a helicopter."
    (c,) = _claims(text)
    assert c.speaker == "The report"
    assert c.verb == "notes"


def test_participle_starts_a_new_claim_with_the_same_speaker() -> None:
    text = ("The ministry said the army had never used toxic chemicals, stressing that "
            "it had handed over its entire stockpile.")
    claims = _claims(text)
    assert [c.verb for c in claims] == ["said", "stressing"]
    assert claims[0].claim == "the army had never used toxic chemicals"
    assert claims[1].claim == "it had handed over its entire stockpile"
    assert claims[1].speaker == "The ministry"


def test_quotation_resumed_after_a_tag_is_a_second_claim() -> None:
    text = ('The ministry issued a statement. "The gunmen moved the canisters into the town," '
            'the statement read. "They mean to blame the army for the attack."')
    claims = [c for c in _claims(text) if c.direct_quote]
    assert [c.claim for c in claims] == ["The gunmen moved the canisters into the town",
                                         "They mean to blame the army for the attack"]
    assert {(c.speaker, c.verb) for c in claims} == {("the statement", "read")}


def test_short_quotation_resumed_in_the_same_sentence() -> None:
    text = ('A nurse told a local radio network that the ward was full. "A massacre," she said, '
            'her voice breaking, "and nobody is watching."')
    claims = _claims(text)
    assert claims[0].claim == "the ward was full" and claims[0].via == "a local radio network"
    assert [c.claim for c in claims[1:]] == ["A massacre", "and nobody is watching"]


def test_trailing_phrase_after_a_tag_is_not_an_interruption() -> None:
    text = ("Dozens of people died after rockets hit the suburb, the opposition says, "
            "in what activists call the worst attack this year.")
    c = [c for c in _claims(text) if c.verb == "says"][0]
    assert c.speaker == "the opposition"
    assert c.claim == "Dozens of people died after rockets hit the suburb"


def test_city_and_agency_dateline_is_not_a_speaker() -> None:
    text = "Damascus, NEWSAGENCY - Syria categorically denies using toxic gases in the town."
    (c,) = _claims(text)
    assert c.speaker == "Syria"


def test_verb_word_before_a_finite_verb_is_a_noun() -> None:
    text = "The gas claims came as inspectors arrived in Damascus to visit three sites."
    assert [c.verb for c in _claims(text)] == []


def test_citing_gives_the_cited_source_via_the_reporter() -> None:
    text = ("Earlier on Monday, Reuters reported, citing the local health directorate, that "
            "an airstrike on the town left 40 people dead.")
    (c,) = _claims(text)
    assert c.speaker == "the local health directorate"
    assert c.via == "Reuters"
    assert c.claim == "an airstrike on the town left 40 people dead"


def test_name_with_a_description_is_the_speaker() -> None:
    text = ("On Friday, Maj. Gen. Oleg Ivanov, deputy head of the monitoring centre, said in a "
            "briefing that gunmen were preparing a provocation with chlorine.")
    (c,) = _claims(text)
    assert c.speaker == "Maj. Gen. Oleg Ivanov"


def test_negated_attribution_is_no_claim() -> None:
    text = "The inspectors did not accuse any party of using chlorine in the village."
    assert _claims(text) == ()


def test_participle_after_a_post_posed_tag_keeps_the_speaker() -> None:
    text = ("The depot held toxic substances, the ministry said, adding that the shells were "
            "meant for fighters abroad.")
    claims = _claims(text)
    assert [(c.speaker, c.verb) for c in claims] == [("the ministry", "said"),
                                                      ("the ministry", "adding")]


def test_base_form_claim_is_a_reporting_verb() -> None:
    text = "Local rescue groups claim government forces are responsible for the gas attack."
    (c,) = _claims(text)
    assert (c.speaker, c.verb) == ("Local rescue groups", "claim")


def test_subject_inside_a_relative_clause() -> None:
    text = ("Ten people were hurt in the attack, which residents and local medics allege was "
            "carried out by a helicopter.")
    c = [c for c in _claims(text) if c.verb == "allege"][0]
    assert c.speaker == "residents and local medics"
    assert c.claim == "was carried out by a helicopter"


def test_participial_lead_is_not_part_of_the_speaker() -> None:
    text = ("Referring to the strike on the town on Monday, Minister Karimi said that the "
            "rebels had staged it.")
    (c,) = _claims(text)
    assert c.speaker == "Minister Karimi"


def test_reported_followed_by_a_quotation() -> None:
    text = "The medical society reported “more than 40 patients with signs of exposure.”"
    (c,) = _claims(text)
    assert c.speaker == "The medical society"


def test_telling_an_agency_that() -> None:
    text = ("The UK-based monitor put the toll lower, telling the Associated Press that twelve "
            "people were killed.")
    (c,) = _claims(text)
    assert c.speaker == "The UK-based monitor"
    assert c.via == "the Associated Press"
    assert c.claim == "twelve people were killed"


def test_hedge_is_an_unnamed_source_over_its_clause() -> None:
    text = ("On Friday, helicopters dropped barrels on the village of Tel Rifaat that "
            "reportedly affected 20 residents.")
    claims = _claims(text)
    hedge = [c for c in claims if c.speaker_type == "unnamed_source"][0]
    assert (hedge.speaker, hedge.verb) == ("reportedly", "reportedly")
    assert hedge.claim == "that reportedly affected 20 residents"
    assert any(c.speaker_type == "unattributed_outlet_voice" for c in claims)


def test_hedge_over_the_whole_sentence() -> None:
    text = "Government warplanes reportedly dropped chlorine on the town of Saraqib."
    (c,) = _claims(text)
    assert c.speaker_type == "unnamed_source" and c.claim == text[:-1]


def test_the_group_resolves_to_the_organisation_named_before() -> None:
    text = ("The Syrian Relief Society said 30 people were treated. The group reported "
            "that the patients had burning eyes.")
    c = _claims(text)[1]
    assert c.speaker == "The Syrian Relief Society"


def test_evidence_is_not_a_speaker() -> None:
    text = "All available evidence suggests that a warplane dropped a nerve agent on the town."
    (c,) = _claims(text)
    assert c.speaker_type == "unattributed_outlet_voice"


def test_went_on_to_say() -> None:
    text = ("Minister Karimi condemned the attack. He went on to say that his country was ready "
            "to treat the victims.")
    c = [c for c in _claims(text) if c.verb == "say"][0]
    assert c.speaker == "Minister Karimi"


def test_short_quoted_term_inside_a_clause_is_not_a_statement() -> None:
    text = ('He called for efforts to end "such disasters," he explained, adding that the '
            'victims needed help.')
    assert all(c.claim != "such disasters" for c in _claims(text))


def test_embedded_claims_before_a_post_posed_tag_are_nested_via_the_tag() -> None:
    text = ("Syria categorically denies using toxic gases in the town, affirming that the army "
            "does not possess chemical weapons, a source at the foreign ministry said on Tuesday.")
    outer, denies, affirming = _claims(text)
    assert outer.speaker == "a source at the foreign ministry"
    assert outer.claim.startswith("Syria categorically denies") and outer.claim.endswith("weapons")
    assert (denies.speaker, denies.via, denies.nested_in) == ("Syria", outer.speaker, 0)
    assert affirming.claim == "the army does not possess chemical weapons"
    assert affirming.via == outer.speaker


def test_background_sentences_are_not_outlet_allegations() -> None:
    text = ("The inspection team was set up in 2014 to determine whether chemical weapons were "
            "used in Syria. Helicopters dropped chlorine on the town on Monday, killing three.")
    claims = _claims(text)
    assert [c.claim[:11] for c in claims] == ["Helicopters"]


def test_long_joint_speaker_with_an_acronym() -> None:
    text = ("Both the London-based Syrian Network for Human Rights (SNHR) and the local relief "
            "committee allege that barrels containing chlorine were dropped on the village.")
    (c,) = _claims(text)
    assert c.verb == "allege" and c.speaker is not None and c.speaker.startswith("Both the")


def test_hedge_after_a_leading_adverbial_covers_the_main_clause() -> None:
    text = ("Ten days ago, helicopters reportedly dropped chlorine canisters on the town, amid "
            "two weeks of constant attacks.")
    (c,) = _claims(text)
    assert c.speaker == "reportedly"
    assert c.claim == "Ten days ago, helicopters reportedly dropped chlorine canisters on the town"


def test_trailing_however_is_not_content() -> None:
    text = "Syrian officials denied responsibility for the chlorine attack, however."
    (c,) = _claims(text)
    assert c.claim == "responsibility for the chlorine attack"


def test_quotation_inside_the_content_of_a_post_posed_tag() -> None:
    text = ('The depot held "a workshop making shells with toxic substances," the ministry '
            'said, adding that the shells were meant for fighters abroad.')
    said, adding = _claims(text)
    assert said.claim == 'The depot held "a workshop making shells with toxic substances'
    assert not said.direct_quote
    assert (adding.speaker, adding.verb) == ("the ministry", "adding")


def test_trailing_as_clause_is_cut() -> None:
    text = "Syria denied any use of chemical weapons, as it has done throughout the war."
    (c,) = _claims(text)
    assert c.claim == "any use of chemical weapons"


def test_the_agency_resolves_to_a_conduit_named_before() -> None:
    text = ("Earlier, Newswire reported, citing a monitor, that 20 people died. The agency said "
            "the strike was probably carried out by government troops.")
    c = [c for c in _claims(text) if c.claim.startswith("the strike")][0]
    assert c.speaker == "Newswire"


def test_impersonal_passive_is_the_outlet_voice() -> None:
    text = "It was also stated that the army was accountable for the release of sarin in the town."
    (c,) = _claims(text)
    assert c.speaker_type == "unattributed_outlet_voice" and c.verb == "stated"
    assert c.claim == "the army was accountable for the release of sarin in the town"


def test_inverted_tag_with_name_and_title() -> None:
    text = ('"There is sufficient evidence to make our findings," said Anna Berg, Head of the '
            'Joint Investigative Panel, during a briefing. He said the panel was careful.')
    first, second = _claims(text)
    assert first.speaker == "Anna Berg"
    assert second.speaker == "Anna Berg"


def test_possessive_mention_is_no_antecedent() -> None:
    text = ("The Prohibition Agency said its fact-finding mission found that sarin was used. "
            "It added that chlorine was used a day later.")
    c = [c for c in _claims(text) if c.verb == "added"][0]
    assert c.speaker == "The Prohibition Agency"


def test_claims_being_refuted_are_unnamed_sources() -> None:
    text = ("The ministry said a strike hit a depot, attempting to refute international claims "
            "that the army was responsible for the chemical attack in the town.")
    said, claims = _claims(text)
    assert said.claim == "a strike hit a depot"
    assert (claims.speaker, claims.speaker_type) == ("international claims", "unnamed_source")
    assert claims.claim == "the army was responsible for the chemical attack in the town"


def test_an_assertion_belongs_to_the_sentence_subject() -> None:
    text = ("Moscow tried to deflect attention with the assertion that rebels carried out their "
            "own attack with toxic gases.")
    (c,) = _claims(text)
    assert (c.speaker, c.verb) == ("Moscow", "assertion")


def test_relative_who_is_not_part_of_the_speaker() -> None:
    text = "One medic who said the ward was full spoke to reporters."
    (c,) = _claims(text)
    assert c.speaker == "One medic"


def test_colon_attribution() -> None:
    (c,) = _claims("Maria Petrova:: The gunmen used chlorine in the northern district.")
    assert (c.speaker, c.verb) == ("Maria Petrova", "::")
    assert c.claim == "The gunmen used chlorine in the northern district"
    (q,) = _claims("Zakharova: «Terrorists are preparing a chemical provocation in Idlib»")
    assert q.direct_quote and q.verb == ":" and q.speaker == "Zakharova"


def test_colon_headings_and_labels_are_not_claims() -> None:
    for text in ("Note: the figures are provisional and may change.",
                 "Press Statement: Reported chemical weapons attack in the town",
                 "OPCW: note on the reported incident in the town on 8 June 2019"):
        assert all(c.verb not in (":", "::") for c in _claims(text)), text


def test_dateline_with_agency_or_outlet_is_not_a_speaker() -> None:
    for text in ("BEIRUT (Newswire) - State media said 107 people were injured in the town.",
                 'ALEPPO - "Levant Post" - Doctors said 50 people were treated.',
                 "BEIRUT: Activists said 20 people were hurt."):
        c = [c for c in _claims(text) if c.verb == "said"][0]
        assert c.speaker in ("State media", "Doctors", "Activists"), text


def test_according_to_inside_a_quotation_is_nested_via_the_quoted_speaker() -> None:
    text = '"The attack, according to our teams, killed 12 people," the doctor said.'
    outer, inner = _claims(text)
    assert outer.speaker == "the doctor" and outer.direct_quote
    assert (inner.speaker, inner.via, inner.claim) == ("our teams", "the doctor", "killed 12 people")


def test_denials_keep_their_polarity() -> None:
    claims = _claims("The ministry denied that the army used chlorine. Activists said the army used it.")
    assert [(c.verb, c.stance) for c in claims] == [("denied", "denies"), ("said", "asserts")]
    ar = extract("نفت الوزارة استخدام الكلور، بينما قال ناشطون إن الجيش استخدمه.").claims
    assert [c.stance for c in ar] == ["denies", "asserts"]


def test_relative_apposition_after_a_name_is_not_part_of_the_speaker() -> None:
    (c,) = _claims("Ahmed Hassan, who runs the clinic, said that 12 children were hurt.")
    assert c.speaker == "Ahmed Hassan"


def test_said_on_social_media_that() -> None:
    (c,) = _claims("The rescue group said on Twitter that its teams rescued 40 people.")
    assert c.claim == "its teams rescued 40 people"


def test_title_then_name_gives_the_name() -> None:
    text = "A spokesman for the rescue service, Omar Abu Laith, said that 30 people were treated."
    (c,) = _claims(text)
    assert c.speaker == "Omar Abu Laith"


def test_organisation_with_a_description() -> None:
    (c,) = _claims("The Relief Network, a London-based monitor, said 12 people died.")
    assert c.speaker == "The Relief Network"


def test_participle_after_a_tag_with_a_statement_adjunct() -> None:
    text = ('"We are deeply concerned," the watchdog said in a statement on Friday, adding that '
            'it was collecting information.')
    claims = _claims(text)
    assert [(c.speaker, c.verb) for c in claims] == [("the watchdog", "said"),
                                                      ("the watchdog", "adding")]


def test_balanced_brackets_stay_in_spans() -> None:
    (c,) = _claims("Hawar news agency (ANHA) reported that 6 civilians were injured (two critically).")
    assert c.speaker == "Hawar news agency (ANHA)"
    assert c.claim == "6 civilians were injured (two critically)"


def test_anaphoric_denial_takes_the_antecedent_claim() -> None:
    text = ("Activists said the attack was carried out by government helicopters. "
            "Officials in the capital denied responsibility.")
    said, denied = _claims(text)
    assert denied.stance == "denies"
    assert denied.claim == said.claim == "the attack was carried out by government helicopters"


def test_passive_with_agent_attributes_the_sentence() -> None:
    text = "That attack was blamed by the joint inquiry on government forces."
    (c,) = _claims(text)
    assert (c.speaker, c.verb) == ("the joint inquiry", "blamed")
    assert c.claim == text[:-1]


def test_subject_of_the_clause_after_but() -> None:
    text = ("Reports of chlorine attacks have piled up since the war began, but the government "
            "has always denied using chemical agents.")
    c = [c for c in _claims(text) if c.verb == "denied"][0]
    assert (c.speaker, c.claim, c.stance) == ("the government", "using chemical agents", "denies")


def test_adverb_before_said_is_not_a_determiner() -> None:
    text = 'A doctor in a video posted online further said "the smell is not normal at all."'
    (c,) = _claims(text)
    assert c.verb == "said" and c.direct_quote


def test_participle_after_a_determiner_is_an_adjective() -> None:
    text = "The regime was responsible for a suspected chemical attack on the town, officials said."
    assert [c.verb for c in _claims(text)] == ["said"]


def test_coordinated_complements_are_separate_claims() -> None:
    text = ("The society says that the town is on the front line and that local sources suspect "
            "the group of conducting the attack.")
    first, second, inner = _claims(text)
    assert [first.claim, second.claim] == [
        "the town is on the front line",
        "local sources suspect the group of conducting the attack"]
    assert first.speaker == second.speaker == "The society"
    assert (inner.speaker, inner.via) == ("local sources", "The society")  # embedded source


def test_more_reporting_verbs() -> None:
    for verb in ("revealed", "pointed out", "indicated", "mentioned", "tweeted"):
        (c,) = _claims(f"The monitoring group {verb} that helicopters dropped two barrels.")
        assert c.verb == verb and c.claim == "helicopters dropped two barrels"


def test_statement_noun_with_a_participle_before_that() -> None:
    (c,) = _claims("The group said in a report released on Tuesday that the army had used sarin.")
    assert c.claim == "the army had used sarin"


def test_organisation_with_a_longer_description() -> None:
    (c,) = _claims("The Rescue Corps, a volunteer rescue group in the north, said 42 people died.")
    assert c.speaker == "The Rescue Corps"


def test_verb_words_used_as_nouns_after_prepositions_and_nationalities() -> None:
    assert all(c.verb is None for c in _claims("Toll in suspected chemical attack rises to six."))
    assert [c.verb for c in _claims("Washington is concerned by credible reports the army used gas.")] == []
    assert [c.verb for c in _claims("Russian claim it staged the attack draws scorn.")] == []
    (c,) = _claims("Syria on Tuesday denied any use of chemical weapons.")
    assert c.verb == "denied"


def test_negative_quantifiers_are_not_speakers() -> None:
    assert all(c.speaker != "None of the parties" for c in
               _claims("None of the parties accused of the attack responded to requests for comment."))


def test_according_to_after_an_attribution_is_the_conduit() -> None:
    text = ("The gunmen are preparing a provocation with chlorine, the general said, "
            "according to Newswire.")
    (c,) = _claims(text)
    assert (c.speaker, c.via) == ("the general", "Newswire")
    (d,) = _claims("Petrov said the gunmen had stored shells in the depot, according to Newswire.")
    assert (d.speaker, d.via, d.claim) == ("Petrov", "Newswire", "the gunmen had stored shells in the depot")
