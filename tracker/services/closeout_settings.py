"""The ledger's close-out rules, stored in the ledger itself so every clerk of an office (and
`rectify config`) sees the same: whether 销号 needs evidence, when 回头看 is due, the size limit
of one evidence file."""

from __future__ import annotations

from dataclasses import replace

from tracker.closeout_model import SETTING_KEYS as KEYS
from tracker.closeout_model import CloseoutSettings
from tracker.db.engine import Ledger
from tracker.errors import ValidationError
from tracker.services.reference import get_setting, set_setting

YES = {"1", "true", "yes", "y", "是", "要", "需要", "开"}
NO = {"0", "false", "no", "n", "否", "不", "不需要", "关"}


def closeout_settings(ledger: Ledger) -> CloseoutSettings:
    """The settings as stored (defaults where a value was never set or cannot be read)."""
    out = CloseoutSettings()
    for key, (attr, _label) in KEYS.items():
        raw = get_setting(ledger, key, "")
        if raw:
            try:
                out = replace(out, **{attr: parse_value(key, raw)})  # type: ignore[arg-type]
            except ValidationError:
                pass  # a hand-edited bad value: the default is the safe answer
    return out


def parse_value(key: str, raw: str) -> bool | int:
    """A typed value for a setting, or a Chinese refusal naming the setting."""
    attr, label = KEYS[key]
    text = raw.strip().lower()
    if attr == "needs_evidence":
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValidationError(f"“{label}”只能是“是”或“否”，不能是“{raw}”。")
    try:
        value = int(text)
    except ValueError:
        raise ValidationError(f"“{label}”应为整数，不能是“{raw}”。") from None
    low, high = (1, 120) if attr == "recheck_months" else (1, 2048)
    if not low <= value <= high:
        raise ValidationError(f"“{label}”应在 {low} 到 {high} 之间。")
    return value


def set_closeout_setting(ledger: Ledger, key: str, raw: str) -> CloseoutSettings:
    """Store one setting (checked first) and return the settings now in force."""
    if key not in KEYS:
        known = "、".join(f"{k}（{label}）" for k, (_a, label) in KEYS.items())
        raise ValidationError(f"没有名为“{key}”的设置。可用的设置：{known}。")
    value = parse_value(key, raw)
    stored = ("1" if value else "0") if isinstance(value, bool) else str(value)
    set_setting(ledger, key, stored)
    return closeout_settings(ledger)
