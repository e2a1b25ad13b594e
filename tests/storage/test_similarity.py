"""Near-duplicate signatures work for every script: Cyrillic and Japanese copies are found
like Spanish ones (accents folded), and unrelated texts stay apart."""

from __future__ import annotations

from storage.similarity import NEAR_DUPLICATE, signature, similarity, title_similarity, words

RUSSIAN = (
    "Президент России Владимир Путин прибыл в Минск, где проведёт переговоры с президентом "
    "Белоруссии Александром Лукашенко. Как сообщает пресс-служба Кремля, главы государств "
    "обсудят вопросы экономического сотрудничества, поставки энергоносителей и совместные "
    "военные учения. Эксперты считают, что визит может означать более активную роль Белоруссии "
    "в конфликте. Переговоры пройдут в узком составе, а затем в расширенном формате с участием "
    "министров. По итогам встречи планируется подписать несколько соглашений о торговле и "
    "промышленной кооперации между двумя странами."
)
RUSSIAN_OTHER = (
    "В Москве завершился ежегодный книжный фестиваль, который за четыре дня посетили более ста "
    "тысяч человек. Издательства представили новые романы, детские книги и переводы зарубежных "
    "авторов. Организаторы отмечают, что особым спросом пользовались лекции писателей и встречи "
    "с читателями на открытых площадках. В следующем году фестиваль планируют провести в парке "
    "Горького, расширив программу для школьников и студентов, а также добавив музыкальную сцену."
)
JAPANESE = (
    "ロシアのプーチン大統領は十九日、ベラルーシの首都ミンスクを訪問し、ルカシェンコ大統領と"
    "会談した。両首脳は経済協力やエネルギー供給、合同軍事演習について協議したとみられる。"
    "専門家は、今回の訪問がウクライナ侵攻におけるベラルーシの役割拡大につながる可能性が"
    "あると指摘している。会談は少人数で行われた後、閣僚を交えた拡大会合に移った。"
)


def test_accents_fold_and_every_script_keeps_its_words() -> None:
    assert words("Fiscalía de la NACIÓN") == ["fiscalia", "de", "la", "nacion"]
    assert words("Путин прибыл в Минск") == ["путин", "прибыл", "в", "минск"]
    assert words("東京タワー") == ["東", "京", "タ", "ワ", "ー"]  # no spaces: characters


def test_cyrillic_copy_is_a_near_duplicate_and_other_news_is_not() -> None:
    copy = RUSSIAN.replace("проведёт", "проведет").upper() + " Подробности позже."
    original, copied, other = signature(RUSSIAN), signature(copy), signature(RUSSIAN_OTHER)
    assert original is not None and copied is not None and other is not None
    assert similarity(original, copied) >= NEAR_DUPLICATE
    assert similarity(original, other) < 0.1


def test_japanese_copy_is_a_near_duplicate_and_titles_compare() -> None:
    original, copied = signature(JAPANESE), signature(JAPANESE + "（共同通信）")
    assert original is not None and copied is not None
    assert similarity(original, copied) >= NEAR_DUPLICATE
    assert title_similarity("プーチン大統領がミンスク訪問", "プーチン大統領、ミンスクを訪問") > 0.3
    assert title_similarity("Путин прибыл в Минск", "Путин прилетел в Минск") > 0.3
