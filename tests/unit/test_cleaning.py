from knowledge.cleaning import clean
from knowledge.documents import Document


def _document(text: str, title: str = "Kram betis") -> Document:
    return Document(id="contoh", title=title, language="id", original_file="contoh.txt", text=text)


def test_non_content_lines_are_dropped_with_their_reason_and_line_number():
    text = "\n".join(
        [
            "Image",  # 1
            "Kram betis",  # 2
            "Daftar Isi:",  # 3
            "Anonim",  # 4
            "Kram adalah kontraksi otot yang tidak disengaja.",  # 5
            "Betis yang kram. Kredit: Foto Studio / GettyImages",  # 6
            "Baca lebih lanjut tentang topik ini: kram",  # 7
            "Kalium sitrat alami dapat dipesan di toko kami dengan diskon.",  # 8
            "Kram betis",  # 9
        ]
    )
    cleaned = clean(_document(text))
    assert [(line.line_number, line.reason) for line in cleaned.dropped] == [
        (1, "image_marker"),
        (3, "table_of_contents"),
        (4, "byline"),
        (6, "photo_credit"),
        (7, "read_more_link"),
        (8, "promotion"),
        (9, "repeated_title"),
    ]
    assert cleaned.text == "Kram betis\nKram adalah kontraksi otot yang tidak disengaja.\n"


def test_table_of_contents_entries_after_the_marker_are_dropped_until_a_blank_line():
    text = "Isi artikel:\nPenyebab dan tipe\nGejala\n\nGejala\nKram terasa nyeri."
    cleaned = clean(_document(text))
    assert [line.text for line in cleaned.dropped] == ["Isi artikel:", "Penyebab dan tipe", "Gejala"]
    assert cleaned.text == "Gejala\nKram terasa nyeri.\n"


def test_content_that_only_contains_cue_words_is_kept():
    text = "Setelah membaca lebih lanjut, dokter menilai kredit pasien tidak relevan.\nGambar otot betis jelas."
    assert clean(_document(text)).dropped == ()


def test_runs_of_blank_lines_collapse_to_one():
    cleaned = clean(_document("Satu.\n\n\n\nDua.\n\n"))
    assert cleaned.text == "Satu.\n\nDua.\n"


def test_the_real_articles_lose_their_promotions_links_and_credits(cleaned_documents):
    texts = "\n".join(document.text for document in cleaned_documents)
    for leftover in ("iHerb", "Artrade", "Kredit:", "Baca lebih lanjut", "Daftar Isi", "Anonim", "Isi artikel"):
        assert leftover not in texts
    assert "Kram malam pada otot betis adalah fenomena umum" in texts
