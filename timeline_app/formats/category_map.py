"""The documented table from a source's event type to the app's ``category``.

The rule: violent event types are ``attack``; announcements and agreements are
``statement``; everything else (protests, riots, arrests, bases, non-violent territory
changes, anything unknown) is ``other``. Keys are compared lower-cased and stripped.
A sub-event type listed in :data:`ACLED_SUB_EVENT_TYPES` wins over its event type.
"""

from __future__ import annotations

#: ACLED ``event_type`` -> category (current names and the 2016-era ones).
ACLED_EVENT_TYPES: dict[str, str] = {
    "battles": "attack",
    "explosions/remote violence": "attack",
    "violence against civilians": "attack",
    "protests": "other",
    "riots": "other",
    "strategic developments": "statement",
    # 2016-era "All Africa" names
    "battle-no change of territory": "attack",
    "battle-government regains territory": "attack",
    "battle-non-state actor overtakes territory": "attack",
    "remote violence": "attack",
    "riots/protests": "other",
    "strategic development": "statement",
    "non-violent transfer of territory": "other",
    "headquarters or base established": "other",
    "non-violent activity by a conflict actor": "other",
}

#: ACLED ``sub_event_type`` -> category, where it differs from its event type's.
ACLED_SUB_EVENT_TYPES: dict[str, str] = {
    "agreement": "statement",
    "change to group/activity": "statement",
    "other": "statement",
    "arrests": "other",
    "disrupted weapons use": "other",
    "headquarters or base established": "other",
    "non-violent transfer of territory": "other",
    "looting/property destruction": "other",
}

#: UCDP GED ``type_of_violence`` -> (event type, category). All three are violent.
UCDP_VIOLENCE_TYPES: dict[str, tuple[str, str]] = {
    "1": ("State-based conflict", "attack"),
    "2": ("Non-state conflict", "attack"),
    "3": ("One-sided violence", "attack"),
}

DEFAULT_CATEGORY = "other"


def acled_category(event_type: str | None, sub_event_type: str | None = None) -> str:
    """The category of one ACLED event type / sub-event type pair."""
    sub = (sub_event_type or "").strip().lower()
    if sub in ACLED_SUB_EVENT_TYPES:
        return ACLED_SUB_EVENT_TYPES[sub]
    return ACLED_EVENT_TYPES.get((event_type or "").strip().lower(), DEFAULT_CATEGORY)
