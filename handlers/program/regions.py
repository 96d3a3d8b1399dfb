"""The program's regions, from a company's country (ISO 3166-1 alpha-2), and application groups.

An application group is a region and a company size, written `<region key>:<size>`, e.g.
`north-america:large`. Keep the table below when a country is missing: each region lists its
codes once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _
from storage.vocabulary import CompanySize


@dataclass(frozen=True, slots=True)
class Region:
    key: str  # used in group keys: lowercase letters and hyphens
    label: str  # how organisations name it; replies show it in the reader's language


NORTH_AMERICA = Region("north-america", N_("North America"))
EUROPE = Region("europe", N_("Europe"))
GREATER_CHINA = Region("greater-china", N_("Greater China"))
ASIA_PACIFIC = Region("asia-pacific", N_("Asia-Pacific"))
LATIN_AMERICA = Region("latin-america", N_("Latin America"))
MIDDLE_EAST_AFRICA = Region("middle-east-africa", N_("Middle East & Africa"))
REGIONS = (NORTH_AMERICA, EUROPE, GREATER_CHINA, ASIA_PACIFIC, LATIN_AMERICA, MIDDLE_EAST_AFRICA)

_CODES: dict[Region, str] = {
    NORTH_AMERICA: "US CA BM GL PM UM",
    EUROPE: """AD AL AM AT AX AZ BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GR HR HU IE IM IS IT
        JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TR UA VA XK""",
    GREATER_CHINA: "CN HK MO TW",
    ASIA_PACIFIC: """AF AS AU BD BN BT CC CK CX FJ FM GU HM ID IN IO JP KG KH KI KP KR KZ LA LK MH MM MN MP MV
        MY NC NF NP NR NU NZ PF PG PH PK PN PW SB SG TH TJ TK TL TM TO TV UZ VN VU WF WS""",
    LATIN_AMERICA: """AG AI AR AW BB BL BO BQ BR BS BZ CL CO CR CU CW DM DO EC FK GD GF GP GS GT GY HN HT JM KN
        KY LC MF MQ MS MX NI PA PE PR PY SR SV SX TC TT UY VC VE VG VI""",
    MIDDLE_EAST_AFRICA: """AE AO BF BH BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IL IQ IR
        JO KE KM KW LB LR LS LY MA MG ML MR MU MW MZ NA NE NG OM PS QA RE RW SA SC SD SH SL SN SO SS ST SY SZ TD
        TG TN TZ UG YE YT ZA ZM ZW""",
}
COUNTRY_REGIONS: dict[str, Region] = {code: region for region, codes in _CODES.items() for code in codes.split()}
# Codes people write that ISO spells differently.
ALIASES = {"UK": "GB", "EL": "GR"}
_TWO_LETTERS = re.compile(r"^[A-Za-z]{2}$")


def country_code(text: str, field: str | None = "country") -> str:
    """A known ISO 3166-1 alpha-2 country code, upper case (`uk` -> GB), or a clear refusal."""
    written = text.strip()
    if not _TWO_LETTERS.match(written):
        raise UserError(
            _("'{text}' is not a two-letter country code.", text=written),
            hint=_("Use the ISO 3166 code of the company's country, e.g. US, GB, DE, JP or CN."),
            field=field,
        )
    code = ALIASES.get(written.upper(), written.upper())
    if code not in COUNTRY_REGIONS:
        raise UserError(
            _("'{text}' is not a country code I know.", text=written),
            hint=_("Use the ISO 3166 code of the company's country, e.g. US, GB, DE, JP or CN."),
            field=field,
        )
    return code


def region_of(code: str) -> Region:
    """The region of a country code already checked by `country_code`."""
    return COUNTRY_REGIONS[code]


def group_key(region: Region, size: CompanySize | str) -> str:
    """`north-america:large`."""
    return f"{region.key}:{CompanySize(size).value}"


def parse_group_key(text: str, field: str | None = "group") -> str:
    """A group key as the team may type it: `north-america:large`, `"North America:large"`, `Europe:SMALL`."""
    region_text, _colon, size_text = text.strip().lower().rpartition(":")
    slug = re.sub(r"[^a-z]+", "-", region_text).strip("-")
    region = next((r for r in REGIONS if slug in (r.key, re.sub(r"[^a-z]+", "-", r.label.lower()).strip("-"))), None)
    sizes = {size.value for size in CompanySize}
    if region is None or size_text.strip() not in sizes:
        every = ", ".join(r.key for r in REGIONS)
        raise UserError(
            _("'{text}' is not an application group.", text=text),
            hint=_(
                "Write <region>:<size>, e.g. north-america:large; regions: {regions}; sizes: small, medium, large.",
                regions=every,
            ),
            field=field,
        )
    return f"{region.key}:{size_text.strip()}"


def group_label(key: str) -> str:
    """`north-america:large` -> `North America, large` (the region in the reader's language)."""
    region_key, _colon, size = key.partition(":")
    region = next((r for r in REGIONS if r.key == region_key), None)
    return _("{region}, {size}", region=_(region.label) if region else region_key, size=size)
