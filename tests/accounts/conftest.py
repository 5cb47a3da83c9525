from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "riktig-hest-batteri-stift"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("kari", password=PASSWORD, is_staff=True)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def require_2fa(settings):
    settings.KARTLEGGING_REQUIRE_2FA = True


@pytest.fixture
def confirmed_device(staff) -> TOTPDevice:
    return TOTPDevice.objects.create(user=staff, name="Autentiseringsapp", confirmed=True)


def _code(device: TOTPDevice, drift: int = 0) -> str:
    device.refresh_from_db()
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + drift,
    )
    return f"{value:0{device.digits}d}"


@pytest.fixture
def code_for():
    """The code the user's app shows now."""
    return _code


@pytest.fixture
def wrong_code_for():
    """A well-formed code the device does not accept now (nor one step either side)."""

    def wrong(device: TOTPDevice) -> str:
        accepted = {_code(device, drift) for drift in (-1, 0, 1)}
        return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)

    return wrong
