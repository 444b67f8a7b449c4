from passage.forms import IdempotentForm


def test_each_form_drawn_carries_a_new_key() -> None:
    first, second = IdempotentForm(), IdempotentForm()

    assert first["idempotency_key"].value() != second["idempotency_key"].value()
    assert len(first["idempotency_key"].value()) == 32
    assert 'type="hidden"' in str(first["idempotency_key"])


def test_a_change_sent_without_its_key_is_refused() -> None:
    assert not IdempotentForm(data={}).is_valid()
    assert IdempotentForm(data={"idempotency_key": "k" * 32}).is_valid()
