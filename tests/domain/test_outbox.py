"""The stored form of an outbox row: Bot API parameters plus what only the record needs."""

import json

from bot.domain.outbox import RECORD_TEXT_KEY, Attachment, OutboxPayload


def test_a_payload_survives_the_round_trip_through_json() -> None:
    attachment = Attachment("laporan.pdf", b"%PDF-\x00\xff")
    payload = OutboxPayload(
        {"chat_id": 5, "caption": "Laporan"}, record_text="jawaban", attachment=attachment
    )
    assert OutboxPayload.from_json(payload.to_json(), attachment) == payload


def test_a_document_is_not_written_into_the_json() -> None:
    payload = OutboxPayload({"chat_id": 5}, attachment=Attachment("laporan.pdf", b"\xff" * 64))
    assert json.loads(payload.to_json()) == {"chat_id": 5}


def test_keys_for_the_record_are_kept_apart_from_the_bot_api_parameters() -> None:
    stored = json.loads(OutboxPayload({"chat_id": 5, "text": "<b>Tiket #1</b>"}, "isi").to_json())
    assert stored[RECORD_TEXT_KEY] == "isi"
    loaded = OutboxPayload.from_json(json.dumps({**stored, "_unknown": 1}))
    assert loaded.params == {"chat_id": 5, "text": "<b>Tiket #1</b>"}


def test_the_record_keeps_the_answer_body_then_the_text_then_the_caption() -> None:
    assert OutboxPayload({"text": "bungkus"}, record_text="isi").shown_text == "isi"
    assert OutboxPayload({"text": "teks"}).shown_text == "teks"
    assert OutboxPayload({"caption": "keterangan"}).shown_text == "keterangan"
    assert OutboxPayload({"chat_id": 1}).shown_text is None
