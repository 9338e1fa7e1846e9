from . import (
    test_security_groups,
    test_tour,
    test_village_inquiry,
    test_village_meeting,
    test_village_meeting_tour,
    test_village_partner,
)
