"""The ways in: the inspection page links to its findings for who sees them, and the navigation offers the
regulations and common problems to the office, and the document requests to the unit's liaison."""

from django.urls import reverse


def test_the_inspection_page_links_to_its_findings_for_who_sees_them(world, client_for):
    page = reverse("rounds:inspection-detail", args=[world.inspection1.pk])
    link = reverse("findings:finding-list", args=[world.inspection1.pk])
    for persona in ("office", "leader", "t1_leader", "t1_member"):
        assert f'href="{link}"' in client_for(persona).get(page).content.decode(), persona
    assert f'href="{link}"' not in client_for("liaison1").get(page).content.decode()


def test_the_navigation_offers_each_role_its_pages(world, client_for):
    regulations, common = reverse("findings:regulation-list"), reverse("findings:common")
    documents = reverse("fieldwork:document-request-list")
    office = client_for("office").get("/").content.decode()
    assert all(f'href="{url}"' in office for url in (regulations, common, documents))
    liaison = client_for("liaison1").get("/").content.decode()
    assert f'href="{documents}"' in liaison and f'href="{common}"' not in liaison
    member = client_for("t1_member").get("/").content.decode()
    assert f'href="{regulations}"' not in member and f'href="{common}"' not in member
