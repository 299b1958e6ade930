from coordinator.services.surveys.tokens import hash_token, new_token


def test_tokens_are_long_random_and_only_hashes_are_kept():
    token, digest = new_token()
    other, _ = new_token()
    assert len(token) >= 43  # 256 bits in URL-safe base64
    assert token != other
    assert digest == hash_token(token) and token not in digest and len(digest) == 64
