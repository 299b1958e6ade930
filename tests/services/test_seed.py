from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import Network, OptionList, Organisation
from coordinator.services.register.seed import seed_reference_data


def test_seed_creates_boards_sni_and_networks_once(app):
    first = seed_reference_data()
    assert first == {"organisations": 21, "networks": 5, "option_lists": 1}
    assert seed_reference_data() == {"organisations": 0, "networks": 0, "option_lists": 0}
    codes = list(
        db.session.scalars(select(Organisation.county_code).order_by(Organisation.county_code))
    )
    assert codes[0] == "01" and codes[-1] == "25" and len(codes) == 21
    norrbotten = db.session.scalar(select(Organisation).where(Organisation.county_code == "25"))
    assert norrbotten.display_name == "25 Länsstyrelsen i Norrbottens län"
    sni = db.session.scalar(select(OptionList).where(OptionList.key == "sni2007"))
    assert [i.code for i in sni.items] == [chr(c) for c in range(ord("A"), ord("U") + 1)]
    assert db.session.scalar(select(func.count()).select_from(Network)) == 5
