import jwt


def is_own_token(token: str) -> bool:
    """Tell our tokens from a plugin's before the verified decode that follows."""
    try:
        # ok: py-jwt-verification-disabled
        payload = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return False
    return payload.get("owner") == "app"


def user_from_token(token: str) -> dict:
    # ruleid: py-jwt-verification-disabled
    payload = jwt.decode(token, options={"verify_signature": False})
    return load_user(payload["sub"])


def claims(token: str):
    # ruleid: py-jwt-verification-disabled
    return jwt.decode(token, verify=False)
