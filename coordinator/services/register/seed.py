"""Reference data every installation needs: county boards, SNI 2007, standard networks."""

from __future__ import annotations

from sqlalchemy import select

from coordinator.data.county_boards import COUNTY_BOARDS
from coordinator.data.networks import STANDARD_NETWORKS
from coordinator.data.sni2007 import SNI_2007_KEY, SNI_2007_NAME, SNI_2007_SECTIONS
from coordinator.extensions import db
from coordinator.models import Network, OptionList, OptionListItem, Organisation

# Every county board's staff have addresses @lansstyrelsen.se.
COUNTY_BOARD_MAIL_DOMAIN = "lansstyrelsen.se"


def seed_reference_data() -> dict[str, int]:
    """Create what is missing and leave the rest alone; running it twice changes nothing."""
    created = {"organisations": 0, "networks": 0, "option_lists": 0}
    by_code = {o.county_code: o for o in db.session.scalars(select(Organisation))}
    for code, name in COUNTY_BOARDS:
        if code not in by_code:
            db.session.add(
                Organisation(
                    name=name,
                    county_code=code,
                    kind="county_board",
                    mail_domains=COUNTY_BOARD_MAIL_DOMAIN,
                )
            )
            created["organisations"] += 1
    existing = set(db.session.scalars(select(Network.name)))
    for name, description in STANDARD_NETWORKS:
        if name not in existing:
            db.session.add(Network(name=name, description=description))
            created["networks"] += 1
    if db.session.scalar(select(OptionList).where(OptionList.key == SNI_2007_KEY)) is None:
        option_list = OptionList(key=SNI_2007_KEY, name=SNI_2007_NAME)
        option_list.items = [
            OptionListItem(code=code, label=label, position=i)
            for i, (code, label) in enumerate(SNI_2007_SECTIONS)
        ]
        db.session.add(option_list)
        created["option_lists"] += 1
    db.session.flush()
    return created
