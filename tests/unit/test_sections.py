from knowledge.sections import split_sections


def _headings_and_kinds(text: str):
    return [(s.heading, [b.kind for b in s.blocks]) for s in split_sections(text, "Judul dokumen")]


def test_content_before_the_first_heading_belongs_to_the_document_title():
    text = "Kram sering terjadi pada malam hari.\nPenyebab kram\nKekurangan mineral memicu kram."
    assert _headings_and_kinds(text) == [
        ("Judul dokumen", ["paragraph"]),
        ("Penyebab kram", ["paragraph"]),
    ]


def test_lower_case_and_question_lines_are_headings_but_list_intros_and_bullets_are_not():
    text = "\n".join(
        [
            "penyebab",
            "Penyebab berikut bisa memicu kedutan:",
            "  • Dehidrasi",
            "  • Stres",
            "Apa yang menyebabkan kram di malam hari?",
            "  1. Kurang kalium",
        ]
    )
    assert _headings_and_kinds(text) == [
        ("penyebab", ["paragraph", "item", "item"]),
        ("Apa yang menyebabkan kram di malam hari?", ["item"]),
    ]


def test_a_heading_with_no_content_before_the_next_heading_opens_no_section():
    text = "Bagian kosong\nBagian isi\nIsi bagian ini panjang dan berakhir dengan titik."
    assert _headings_and_kinds(text) == [("Bagian isi", ["paragraph"])]


def test_block_spans_point_into_the_text():
    text = "Judul\n\n  • Dehidrasi ringan\nParagraf biasa."
    blocks = split_sections(text, "x")[0].blocks
    assert [text[b.start : b.end] for b in blocks] == ["  • Dehidrasi ringan", "Paragraf biasa."]
