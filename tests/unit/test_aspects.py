from knowledge.aspects import ASPECTS, GENERAL, passage_aspects, question_aspect


def test_a_heading_names_the_aspect_of_its_passages():
    assert passage_aspects("Penyebab kram", "Kram terjadi pada otot betis.")[0] == "cause"
    assert passage_aspects("Tindakan pencegahan", "Lakukan latihan setiap hari.")[0] == "prevention"
    assert passage_aspects("Diagnostik", "Dokter bertanya tentang riwayat.")[0] == "diagnosis"


def test_the_opening_sentence_can_change_the_subject_of_a_section():
    content = "Disarankan untuk tujuan pencegahan:\n• Pelatihan peralatan olahraga.\n• Bersepeda."
    aspects = passage_aspects("Bantuan segera", content)
    assert "prevention" in aspects and "treatment" in aspects


def test_a_passage_that_defines_something_is_a_definition():
    assert passage_aspects("Anatomi", "Kram malam adalah kontraksi otot yang tidak disengaja.") == ("definition",)


def test_a_passage_without_cues_is_general_and_affixed_forms_count():
    assert passage_aspects("Durasi", "Otot bekerja sepanjang hari.") == (GENERAL,)
    assert passage_aspects("Lain-lain", "Obat-obatan dan pengobatannya dibahas di sini.")[0] == "treatment"


def test_a_word_that_only_starts_like_a_cue_is_not_one():
    # "artikel" is not "arti" (definition); "tesis" is not "tes" (diagnosis).
    assert question_aspect("artikel tesis") == ""


def test_a_question_asks_about_the_aspect_its_words_name():
    assert question_aspect("Bagaimana cara mencegahnya?") == "prevention"
    assert question_aspect("terus obatnya apa?") == "treatment"
    assert question_aspect("kapan harus ke dokter") == "see_doctor"
    assert question_aspect("what about prevention?") == "prevention"
    assert question_aspect("yang lain?") == ""


def test_every_label_is_a_known_aspect(corpus):
    labels = {aspect for passage in corpus for aspect in passage.aspects}
    assert labels <= set(ASPECTS)
    assert all(passage.aspects for passage in corpus)
    assert {"cause", "treatment", "prevention", "diagnosis"} <= labels
