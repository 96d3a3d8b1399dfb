"""`admin` (organisations, members, rights, channels) and `help`."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlmodel import col, select

from handlers.catalogue import COMMANDS, subcommands, top_words
from handlers.kit.registry import summary_of
from storage.models import AuditEntry, Member, Organisation
from support.harness import Harness

TAOBAO = "https://item.taobao.com/item.htm?id={}"
# The command words of the contract (DESIGN.md section 5), in the order `help` lists them.
CONTRACT_WORDS = (
    "help", "complaint", "case", "cases", "lookup", "export", "outcome", "withdraw", "store", "raid", "language",
    "apply", "applications", "calendar", "remind", "stats", "propose", "practices", "admin", "lang",
)  # fmt: skip
NOT_YET = [word for word in CONTRACT_WORDS if word not in top_words()]


# --- who may administer -----------------------------------------------------------------------


def test_only_admins_may_use_admin(program: Harness) -> None:
    for who in ("team1", "brand1", "brand2"):
        for command in (
            "admin org list",
            'admin org add initech "Initech"',
            "admin member add slack:U0123ABCD - admin",
        ):
            assert program.refused(command, as_=who) == "Only program admins can manage the program."
    assert program.ok("admin org list").text == "2 organisations:"


def test_every_admin_sub_command_refuses_non_admins_before_it_runs(program: Harness) -> None:
    for spec in subcommands("admin"):
        assert program.refused(spec.word, as_="team1") == "Only program admins can manage the program.", spec.word
    # The refusal comes first: neither the missing words nor the change itself get a word in.
    assert program.refused("admin right expire 1", as_="team1") == "Only program admins can manage the program."
    assert program.refused("admin member add console:team1 - admin", as_="team1") == (
        "Only program admins can manage the program."
    )
    assert program.ok(f"complaint right=1 {TAOBAO.format(1)}", as_="brand1").text.startswith("Registered 1 item")
    assert program.refused("admin org list", as_="team1") == "Only program admins can manage the program."


def test_people_outside_the_program_cannot_use_admin(program: Harness) -> None:
    assert program.refused("admin org list", as_="stranger") == "Only program admins can manage the program."


def test_an_admin_added_by_an_admin_can_administer(program: Harness) -> None:
    assert (
        program.ok("admin member add slack:U0123ABCD - admin").text
        == "slack:U0123ABCD is now admin with no organisation."
    )
    program.ok("admin member add console:chief - admin")
    assert program.ok('admin org add initech "Initech"', as_="chief").text.startswith("Created organisation initech")


# --- organisations ----------------------------------------------------------------------------


def test_an_organisation_is_created_and_listed(program: Harness) -> None:
    reply = program.ok('admin org add initech "Initech Inc" country=us size=small name_zh="英尼泰克" iacc=yes')
    assert reply.text == (
        "Created organisation initech (Initech Inc). "
        "Add members with `admin member add <platform:user> initech member`."
    )
    listing = program.ok("admin org list")
    assert listing.text == "3 organisations:"
    assert "initech: Initech Inc" in listing.lines


def test_a_representative_organisation_shows_whom_it_acts_for(program: Harness) -> None:
    program.ok('admin org add brandguard "BrandGuard LLP" represents="Initech Inc"')
    assert "brandguard: BrandGuard LLP (for Initech Inc)" in program.ok("admin org list").lines


def test_a_slug_must_be_lowercase_letters_digits_and_hyphens(program: Harness) -> None:
    for slug in ("Bad_Slug", "a", "-acme", "acme.corp", "x" * 41):
        message = program.refused(f'admin org add {slug} "Name"')
        assert message == (
            f"'{slug.lower()}' is not a usable slug. 2-40 lowercase letters, digits and hyphens, e.g. acme-group."
        )
    assert program.ok("admin org list").text == "2 organisations:"


def test_a_slug_may_use_digits_and_hyphens(program: Harness) -> None:
    assert program.ok('admin org add acme-2 "ACME Two"').text.startswith("Created organisation acme-2")


def test_a_duplicate_slug_is_refused(program: Harness) -> None:
    assert program.refused('admin org add acme "ACME again"') == "There is already an organisation 'acme'."
    assert program.refused('admin org add ACME "ACME again"') == "There is already an organisation 'acme'."


def test_a_country_must_be_a_two_letter_code(program: Harness) -> None:
    hint = "Use the ISO 3166 code of the company's country, e.g. US, GB, DE, JP or CN."
    for country in ("USA", "U1", "1"):
        message = program.refused(f'admin org add initech "Initech" country={country}')
        assert message == f"'{country}' is not a two-letter country code. {hint}"
    assert "initech" not in program.ok("admin org list").render_plain()


def test_a_country_must_be_one_that_exists_as_apply_has_it(program: Harness) -> None:
    refused = program.send('admin org add initech "Initech" country=XX')
    assert (refused.text, refused.error_field) == (
        "'XX' is not a country code I know. Use the ISO 3166 code of the company's country, e.g. US, GB, DE, JP or CN.",
        "country",
    )
    program.ok('admin org add initech "Initech" country=uk')
    with program.database.transaction() as session:
        assert session.exec(select(Organisation.country).where(Organisation.slug == "initech")).one() == "GB"


def test_yes_or_no_options_refuse_other_answers(program: Harness) -> None:
    for option in ("iacc", "good_faith"):
        refused = program.send(f'admin org add initech "Initech" {option}=maybe')
        assert (refused.text, refused.error_field) == (f"{option}= takes yes or no, not 'maybe'. {option}=yes", option)
    refused = program.send('admin right add acme trademark 999 mark="A" jurisdiction=CN luxury=perhaps')
    assert refused.text == "luxury= takes yes or no, not 'perhaps'. luxury=yes"
    assert program.ok("admin org list").text == "2 organisations:"
    program.ok('admin org add initech "Initech" iacc=yes good_faith=no')
    with program.database.transaction() as session:
        initech = session.exec(select(Organisation).where(Organisation.slug == "initech")).one()
        assert (initech.iacc_member, initech.good_faith) == (True, False)


def test_an_over_long_organisation_name_is_refused_with_its_limit_not_cut(program: Harness) -> None:
    refused = program.send(f'admin org add initech "{"N" * 201}"')
    assert (refused.text, refused.error_field) == ("The organisation name is 201 characters; the limit is 200.", "name")
    assert program.ok(f'admin org add initech "{"N" * 200}"').text.startswith("Created organisation initech")


def test_a_size_outside_the_bands_is_refused(program: Harness) -> None:
    message = program.refused('admin org add initech "Initech" size=huge')
    assert message == "'huge' is not a company size. Use one of: small, medium, large."


def test_an_organisation_needs_a_name(program: Harness) -> None:
    assert program.refused("admin org add initech") == "Missing organisation name (in quotes if it has spaces)."


def test_over_long_organisation_details_get_a_clear_answer(program: Harness) -> None:
    long = "x" * 201
    for details in (f'name_zh="{long}"', f'represents="{long}"'):
        reply = program.send(f'admin org add initech "Initech" {details}')
        assert not reply.text.startswith("Something went wrong"), f"{details[:12]}...: {reply.text}"


def test_org_show_lists_members_and_rights(program: Harness) -> None:
    reply = program.ok("admin org show acme")
    assert reply.text == "acme: ACME Corp"
    assert reply.lines == [
        "member console:brand1 (member)",
        "right #1 trademark ACME CN 1234567 verified, expires 2030-12-31",
    ]
    assert (
        program.refused("admin org show nowhere") == "There is no organisation 'nowhere'. `admin org list` shows them."
    )


# --- members ----------------------------------------------------------------------------------


def test_a_member_identity_must_be_platform_and_user(program: Harness) -> None:
    for identity in ("bob", "teams:U01", "slack:", "slack:U 1", "slack:" + "U" * 65):
        message = program.refused(f'admin member add "{identity}" acme member')
        assert message.startswith(f"'{identity}' is not a chat identity. Write platform:user")


def test_brand_roles_need_an_organisation(program: Harness) -> None:
    for role in ("member", "representative"):
        message = program.refused(f"admin member add slack:U0123ABCD - {role}")
        assert message == f"A {role} must belong to an organisation. Name its slug instead of -."


def test_team_members_and_admins_need_no_organisation(program: Harness) -> None:
    assert program.ok("admin member add discord:81234567890 - team").text == (
        "discord:81234567890 is now team with no organisation."
    )
    assert program.ok("admin member add slack:U0123ABCD acme representative").text == (
        "slack:U0123ABCD is now representative in acme."
    )


def test_adding_someone_as_what_they_already_are_says_nothing_changed_and_records_nothing(program: Harness) -> None:
    def member_entries() -> int:
        with program.database.transaction() as session:
            return len(session.exec(select(AuditEntry).where(AuditEntry.entity == "member")).all())

    program.ok("admin member add slack:U0123ABCD acme representative")
    recorded = member_entries()
    assert program.ok("admin member add slack:U0123ABCD acme representative").text == (
        "slack:U0123ABCD is already representative in acme; nothing changed."
    )
    assert member_entries() == recorded
    assert program.ok("admin member add slack:U0123ABCD acme member").text == "slack:U0123ABCD is now member in acme."
    assert member_entries() == recorded + 1


def test_an_unknown_role_or_organisation_is_refused(program: Harness) -> None:
    assert program.refused("admin member add slack:U01 acme boss") == (
        "'boss' is not a role. Use one of: member, representative, team, admin."
    )
    assert program.refused("admin member add slack:U01 initech member").startswith(
        "There is no organisation 'initech'."
    )


def test_a_new_member_can_file_for_their_organisation(program: Harness) -> None:
    program.ok("admin member add console:newcomer globex member")
    assert program.ok(f"complaint {TAOBAO.format(1)}", as_="newcomer").text.startswith("Registered 1 item")
    assert program.ok("cases", as_="newcomer").lines[0].startswith("MS-000001 ")
    assert "Globex Ltd" in program.ok("stats", as_="newcomer").text


def test_a_member_of_another_organisation_is_moved_only_when_move_is_said(program: Harness) -> None:
    refused = program.send("admin member add console:brand1 globex representative")
    assert (refused.text, refused.error_field) == (
        "console:brand1 belongs to acme (ACME Corp): adding them to globex (Globex Ltd) would move them there, "
        "and they would see globex's cases instead of acme's. To move them, add move=yes: "
        "`admin member add console:brand1 globex representative move=yes`.",
        "move",
    )
    assert program.refused("admin member add console:brand1 - team") == (
        "console:brand1 belongs to acme (ACME Corp): adding them with no organisation would take them out of it, "
        "and they would no longer see acme's cases. To move them, add move=yes: "
        "`admin member add console:brand1 - team move=yes`."
    )
    assert program.ok("cases", as_="brand1").text.startswith("No cases")
    with program.database.transaction() as session:
        brand1 = session.exec(select(Member).where(Member.user_id == "brand1")).one()
        assert (brand1.role, brand1.organisation_id) == ("member", 1)
    assert program.ok("admin member add console:brand1 acme representative").text == (
        "console:brand1 is now representative in acme."
    )


def test_a_move_names_both_organisations_in_the_reply_and_the_audit_log(program: Harness) -> None:
    assert program.ok("admin member add console:brand1 globex member move=yes").text == (
        "console:brand1 moved from acme (ACME Corp) to globex (Globex Ltd): now member in globex."
    )
    with program.database.transaction() as session:
        entry = session.exec(
            select(AuditEntry).where(AuditEntry.entity == "member").order_by(col(AuditEntry.id).desc())
        ).first()
        assert entry is not None
        assert (entry.action, entry.from_status, entry.to_status, entry.note) == (
            "role", "member", "member", "moved from acme to globex"
        )  # fmt: skip


def test_moving_a_member_to_another_organisation_changes_what_they_see(program: Harness) -> None:
    program.ok(f"complaint {TAOBAO.format(1)}", as_="brand1")
    assert program.ok("admin member add console:brand1 globex representative move=yes").text == (
        "console:brand1 moved from acme (ACME Corp) to globex (Globex Ltd): now representative in globex."
    )
    assert program.refused("case MS-000001", as_="brand1").startswith("There is no case MS-000001")
    assert program.ok("stats", as_="brand1").text.startswith("Globex Ltd: ")


def test_a_removed_member_is_outside_the_program(program: Harness) -> None:
    assert program.ok("admin member remove console:brand2").text == "Removed console:brand2."
    assert "need to be in the program" in program.refused("cases", as_="brand2")
    assert program.refused("admin member remove console:brand2") == "console:brand2 is not a member."
    assert program.refused("admin member remove brand2").startswith("'brand2' is not a chat identity.")


def test_a_member_who_filed_cases_can_be_removed_and_the_cases_stay(program: Harness) -> None:
    program.ok(f"complaint {TAOBAO.format(1)}", as_="brand1")
    reply = program.send("admin member remove console:brand1")
    assert reply.text == "Removed console:brand1.", reply.text
    assert "need to be in the program" in program.refused("cases", as_="brand1")
    assert program.ok("case MS-000001", as_="team1").text.startswith("MS-000001 · submitted")


def test_unknown_member_actions_are_refused(program: Harness) -> None:
    assert program.refused("admin member promote console:brand1") == (
        "'promote' is not a sub-command of `admin member`. Use one of: add, remove. `help admin member` shows each."
    )


# --- IP rights --------------------------------------------------------------------------------


def test_a_right_is_added_pending_and_usable_once_verified(program: Harness) -> None:
    reply = program.ok('admin right add globex copyright R-77 mark="Globex logo" jurisdiction=us expires=2031-06-30')
    assert reply.text == (
        "Added IP right #3: copyright Globex logo (US R-77), pending. Verify it with `admin right verify 3`."
    )
    assert "pending verification" in program.refused(f"complaint right=3 {TAOBAO.format(1)}", as_="brand2")
    assert program.ok("admin right verify 3").text == "IP right #3 (Globex logo) is now verified."
    assert program.ok(f"complaint right=3 {TAOBAO.format(1)}", as_="brand2").text.startswith("Registered 1 item")
    assert (
        "right #3 copyright Globex logo US R-77 verified, expires 2031-06-30"
        in program.ok("admin org show globex").lines
    )


def test_an_expired_right_can_no_longer_be_filed_under(program: Harness) -> None:
    assert program.ok("admin right expire #1").text == "IP right #1 (ACME) is now expired."
    assert "no verified, unexpired IP right" in program.refused(f"complaint {TAOBAO.format(1)}", as_="brand1")
    assert "expired" in program.refused(f"complaint right=1 {TAOBAO.format(1)}", as_="brand1")


def test_a_right_needs_a_mark_and_a_jurisdiction(program: Harness) -> None:
    expected = 'An IP right needs mark="..." and jurisdiction=.., e.g. mark="ACME" jurisdiction=CN.'
    assert program.refused("admin right add acme trademark 999 jurisdiction=CN") == expected
    assert program.refused('admin right add acme trademark 999 mark="ACME"') == expected


def test_bad_right_details_are_refused(program: Harness) -> None:
    assert program.refused('admin right add acme logo 999 mark="A" jurisdiction=CN') == (
        "'logo' is not a kind of IP right. Use one of: trademark, copyright, patent."
    )
    message = program.refused('admin right add acme trademark 999 mark="A" jurisdiction=CN expires=2030-02-30')
    assert message.startswith("'2030-02-30' is not a") and message.endswith("Write dates as YYYY-MM-DD.")
    assert program.refused('admin right add nowhere trademark 9 mark="A" jurisdiction=CN').startswith(
        "There is no organisation 'nowhere'."
    )
    assert program.refused('admin right add acme trademark 9 mark="A" jurisdiction=CN colour=red') == (
        "Unknown option colour=. Options here: mark=, jurisdiction=, classes=, expires=, luxury=."
    )


def test_a_right_the_organisation_already_holds_is_refused_with_how_to_renew_it(
    program: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        refused = program.send('admin right add acme trademark 1234567 mark="ACME" jurisdiction=cn expires=2035-12-31')
    assert (refused.is_error, refused.text, refused.error_field) == (
        True,
        "acme already has trademark CN 1234567 (#1, verified). "
        "To record its renewal, give its new expiry: `admin right verify 1 expires=YYYY-MM-DD`.",
        "registration",
    )
    assert not [record for record in caplog.records if record.name == "bot.router"]
    assert program.ok("admin right verify 1 expires=2035-12-31").text == (
        "IP right #1 (ACME) is now verified, expiring on 2035-12-31 (it was 2030-12-31)."
    )
    # The same number under another kind or jurisdiction, or for another organisation, is another right.
    program.ok('admin right add acme patent 1234567 mark="ACME" jurisdiction=CN')
    program.ok('admin right add acme trademark 1234567 mark="ACME" jurisdiction=US')
    program.ok('admin right add globex trademark 1234567 mark="ACME" jurisdiction=CN')


def test_over_long_right_details_are_refused_with_their_limit_not_cut(program: Harness) -> None:
    for details, answer, field in (
        (f'999 mark="{"M" * 10_000}" jurisdiction=CN', "mark= is 10000 characters; the limit is 200.", "mark"),
        (f'{"9" * 65} mark="A" jurisdiction=CN', "The registration number is 65 characters; the limit is 64.",
         "registration"),
    ):  # fmt: skip
        refused = program.send(f"admin right add acme trademark {details}")
        assert (refused.text, refused.error_field) == (answer, field)
    assert program.ok(f'admin right add acme trademark {"9" * 64} mark="{"M" * 200}" jurisdiction=CN').text.startswith(
        "Added IP right #3"
    )


def test_a_jurisdiction_is_a_country_code_or_a_regional_registration(program: Harness) -> None:
    hint = (
        "Use a two-letter country code (CN, US, GB ...) or, for a registration covering several countries, one of: "
        "EU, EP, BX, WIPO, OAPI, ARIPO."
    )
    for written in ("ZZ", "People's Republic of China", "CHN"):
        refused = program.send(f'admin right add acme trademark 999 mark="A" jurisdiction="{written}"')
        assert (refused.text, refused.error_field) == (
            f"'{written}' is not a jurisdiction I know. {hint}",
            "jurisdiction",
        )
    assert program.ok('admin right add acme trademark 999 mark="A" jurisdiction=eu').text == (
        "Added IP right #3: trademark A (EU 999), pending. Verify it with `admin right verify 3`."
    )
    assert program.ok('admin right add acme trademark 999 mark="A" jurisdiction=WIPO').text.startswith(
        "Added IP right #4: trademark A (WIPO 999)"
    )
    assert program.ok('admin right add acme trademark 999 mark="A" jurisdiction=uk').text.startswith(
        "Added IP right #5: trademark A (GB 999)"
    )


def test_an_over_long_list_of_classes_gets_a_clear_answer(program: Harness) -> None:
    classes = ",".join(str(n) for n in range(1, 46)) * 2  # 250 characters; the column holds 200
    reply = program.send(f'admin right add acme trademark 999 mark="ACME" jurisdiction=CN classes={classes}')
    assert not reply.text.startswith("Something went wrong"), reply.text


def test_verifying_a_right_past_its_expiry_says_it_cannot_be_used_until_the_expiry_is_moved(program: Harness) -> None:
    program.ok('admin right add globex copyright R-77 mark="Globex logo" jurisdiction=US expires=2026-01-31')
    assert program.ok("admin right verify 3").text == (
        "IP right #3 (Globex logo) is now verified, but it expired on 2026-01-31: complaints cannot rely on it "
        "until its expiry is moved, e.g. `admin right verify 3 expires=YYYY-MM-DD` with the renewed registration's "
        "expiry."
    )
    assert "expired on 2026-01-31" in program.refused(f"complaint right=3 {TAOBAO.format(1)}", as_="brand2")
    assert program.ok("admin right verify 3 expires=2036-01-31").text == (
        "IP right #3 (Globex logo) is now verified, expiring on 2036-01-31 (it was 2026-01-31)."
    )
    assert program.ok(f"complaint right=3 {TAOBAO.format(1)}", as_="brand2").text.startswith("Registered 1 item")


def test_verifying_a_right_marked_expired_says_it_is_usable_again(program: Harness) -> None:
    program.ok("admin right expire 1")
    assert program.ok("admin right verify 1").text == (
        "IP right #1 (ACME) was expired and is now verified: complaints may rely on it again."
    )
    assert program.ok(f"complaint {TAOBAO.format(1)}", as_="brand1").text.startswith("Registered 1 item")


def test_repeating_a_right_change_says_nothing_changed_and_records_nothing(program: Harness) -> None:
    program.ok('admin right add acme trademark 555 mark="ACME2" jurisdiction=US')
    program.ok("admin right expire 3")
    program.ok("admin right luxury 1 yes")
    program.ok("admin channel team slack C0123ABCD")
    program.clock.advance(days=1)
    assert program.ok("admin right expire 3").text == (
        "IP right #3 (ACME2) is already expired (since 2026-11-18 15:00 EST); nothing changed."
    )
    assert program.ok("admin right verify 1").text == (
        "IP right #1 (ACME) is already verified (by console:operator, 2026-11-18 15:00 EST); nothing changed."
    )
    assert program.ok("admin right verify 1 expires=2030-12-31").text.endswith("nothing changed.")
    assert (
        program.ok("admin right luxury 1 yes").text == "IP right #1 (ACME) is already a luxury brand; nothing changed."
    )
    assert program.ok("admin right luxury 2 no").text == (
        "IP right #2 (GLOBEX) is already not a luxury brand; nothing changed."
    )
    assert program.ok("admin channel team slack C0123ABCD").text == (
        "team on slack is already channel C0123ABCD; nothing changed."
    )
    with program.database.transaction() as session:
        since_the_first_changes = select(AuditEntry).where(col(AuditEntry.at) > program.clock.now - timedelta(hours=1))
        assert session.exec(since_the_first_changes).all() == []


def test_verifying_an_expired_verified_right_again_says_nothing_changed_and_how_to_renew(program: Harness) -> None:
    program.clock.advance(days=365 * 5)
    assert program.ok("admin right verify 1").text == (
        "IP right #1 (ACME) is already verified, but it expired on 2030-12-31; nothing changed. Complaints can rely "
        "on it again once its expiry is moved, e.g. `admin right verify 1 expires=YYYY-MM-DD` with the renewed "
        "registration's expiry."
    )


def test_verifying_a_right_that_does_not_exist_is_refused(program: Harness) -> None:
    expected = "There is no IP right #99. `admin org show <slug>` lists an organisation's rights."
    assert program.refused("admin right verify 99") == expected
    assert program.refused("admin right expire abc").startswith("There is no IP right #abc.")


# --- channels ---------------------------------------------------------------------------------


def test_channels_are_mapped_and_listed(program: Harness) -> None:
    assert program.ok("admin channels").text == "No channels are mapped yet."
    assert program.ok("admin channel team slack C0123ABCD").text == (
        "team on slack is now channel C0123ABCD (set 2026-11-18 15:00 EST)."
    )
    program.ok("admin channel org:acme discord 112233445566778899")
    program.ok("admin channel working-group slack G0123ABCD")
    program.ok("admin channel team slack C0999ZZZZ")
    reply = program.ok("admin channels")
    assert reply.text == "3 channel mappings:"
    assert sorted(reply.lines) == [
        "org:acme -> discord 112233445566778899",
        "team -> slack C0999ZZZZ",
        "working-group -> slack G0123ABCD",
    ]


def test_an_unknown_logical_channel_is_refused(program: Harness) -> None:
    assert program.refused("admin channel general slack C0123ABCD") == (
        "'general' is not a logical channel. Use one of announcements, outcomes, team, language, "
        "working-group, rogueblock or org:<slug>."
    )


def test_an_organisation_channel_needs_an_existing_organisation(program: Harness) -> None:
    assert program.refused("admin channel org:initech slack C0123ABCD") == (
        "There is no organisation 'initech'. `admin org list` shows them."
    )
    assert program.ok("admin channels").text == "No channels are mapped yet."


def test_channel_ids_must_look_like_the_platforms_own(program: Harness) -> None:
    for platform, channel, example in (
        ("slack", "c0123abcd", "C0123ABCD"),
        ("slack", "U0123ABCD", "C0123ABCD"),
        ("slack", "C01", "C0123ABCD"),
        ("discord", "12345", "112233445566778899"),
        ("discord", "C0123ABCD", "112233445566778899"),
    ):
        message = program.refused(f"admin channel team {platform} {channel}")
        assert message == f"'{channel}' is not a {platform} channel id. It looks like {example}."
    assert program.ok("admin channels").text == "No channels are mapped yet."


def test_a_platform_without_channels_is_refused(program: Harness) -> None:
    assert program.refused("admin channel team teams C0123ABCD") == (
        "'teams' is not a chat platform with channels. Use slack or discord."
    )


def test_an_unknown_admin_area_is_refused(program: Harness) -> None:
    areas = "Use one of: org, member, team, right, channel, channels. `help admin` shows each."
    assert program.refused("admin orgs") == f"'orgs' is not a sub-command of `admin`. {areas}"
    assert program.refused("admin") == f"`admin` needs a sub-command. {areas}"


def test_an_unknown_or_missing_sub_command_of_an_admin_area_gets_that_areas_choices(program: Harness) -> None:
    assert program.refused("admin org frobnicate acme") == (
        "'frobnicate' is not a sub-command of `admin org`. Use one of: add, list, show. `help admin org` shows each."
    )
    assert program.refused("admin right") == (
        "`admin right` needs a sub-command. Use one of: add, verify, expire, luxury. `help admin right` shows each."
    )


# --- help -------------------------------------------------------------------------------------


def test_help_lists_every_command_of_the_contract(program: Harness) -> None:
    reply = program.ok("help", as_="brand1")
    assert reply.text == "MarketSafe commands (`help <command>` for details):"
    listed = [line.split(":")[0] for line in reply.lines if not line.startswith("Not available yet")]
    assert listed == [word for word in CONTRACT_WORDS if word in top_words()]
    assert {spec.top for spec in COMMANDS.values()} <= set(CONTRACT_WORDS)
    if NOT_YET:
        assert f"Not available yet: {', '.join(NOT_YET)}." in reply.lines


def test_help_tells_newcomers_how_to_join(program: Harness) -> None:
    assert program.ok("help", as_="stranger").lines[-1] == (
        "You are not in the program yet: ask a program admin to add you to your organisation."
    )
    assert not any("not in the program" in line for line in program.ok("help", as_="brand1").lines)


def test_an_empty_command_shows_help(program: Harness) -> None:
    assert program.ok("", as_="brand1").text == "MarketSafe commands (`help <command>` for details):"


def test_help_shows_the_usage_of_each_command(program: Harness) -> None:
    assert COMMANDS, "no command is registered"
    for word, spec in COMMANDS.items():
        reply = program.ok(f"help {word}", as_="stranger")
        assert reply.text == f"{word}: {spec.summary}"
        assert reply.lines and reply.lines[0].startswith(spec.top), f"help {word} shows no usage"
        if not spec.default:  # a default sub-command is typed without its name (`calendar` for `calendar list`)
            assert set(spec.path) <= set(reply.lines[0].split()), f"help {word} shows another command's usage"
        assert program.ok(f"help /{word.upper()}", as_="brand1").text == reply.text
    for word in top_words():
        assert program.ok(f"help {word}", as_="stranger").text == f"{word}: {summary_of(word)}"


def test_help_of_a_command_word_lists_its_sub_commands_and_each_has_one_usage(program: Harness) -> None:
    reply = program.ok("help store", as_="brand1")
    assert reply.text == "store: storefront strikes, closure and reinstatement"
    assert "store strike: record a serious counterfeit finding against a storefront (team)" in reply.lines
    strike = program.ok("help store strike", as_="brand1")
    assert strike.lines[0] == 'store strike <store link> [note="..."]'
    assert not any(line.startswith("store close") for line in strike.lines)


def test_a_sub_command_refuses_a_role_it_does_not_allow_before_running(program: Harness) -> None:
    refusal = program.refused("store strike https://shop123456.taobao.com", as_="brand1")
    assert refusal.startswith("Only the IACC/Alibaba team can strike storefronts.")
    assert program.refused("store fly https://shop123456.taobao.com", as_="brand1") == (
        "'fly' is not a sub-command of `store`. Use one of: show, strike, close, reinstate, refer, referral, list. "
        "`help store` shows each."
    )


def test_help_admin_lists_each_admin_sub_command(program: Harness) -> None:
    reply = program.ok("help admin", as_="brand1")
    assert reply.text == f"admin: {summary_of('admin')}"
    listed = [line.split(":")[0] for line in reply.lines[:-1]]
    assert listed == [
        "admin org add", "admin org list", "admin org show", "admin member add", "admin member remove", "admin team",
        "admin right add", "admin right verify", "admin right expire", "admin right luxury", "admin channel",
        "admin channels",
    ]  # fmt: skip
    assert reply.lines[-1] == "`help admin org add` shows one in full."
    org = program.ok("help admin org", as_="brand1")
    assert [line.split(":")[0] for line in org.lines[:-1]] == ["admin org add", "admin org list", "admin org show"]


def test_help_of_one_admin_sub_command_shows_its_usage_alone(program: Harness) -> None:
    reply = program.ok("help admin member add", as_="brand1")
    assert reply.text == "admin member add: add someone to the program, or change their organisation or role (admins)"
    assert reply.lines[0] == (
        "admin member add <platform:user> <org slug | -> <member|representative|team|admin> [move=yes]"
    )
    assert reply.lines[-1] == "Example: admin member add slack:U0123ABCD acme representative"
    assert not any("admin member remove" in line or "admin org" in line for line in reply.lines)
    team = program.ok("help admin team", as_="brand1").lines
    assert team[0] == "admin team [<platform:user> platforms=taobao,tmall | platforms=none]"


def test_contract_words_not_implemented_yet_say_so(program: Harness) -> None:
    for word in NOT_YET:
        expected = f"`{word}` is not available in this version of the bot yet."
        assert program.ok(f"help {word}", as_="brand1").text == expected
        assert program.refused(f"{word} something", as_="brand1") == expected
        assert program.refused(f"{word}", as_="stranger") == expected


def test_help_and_help_admin_give_the_admin_summary_in_chinese(program: Harness) -> None:
    program.ok("lang zh", as_="brand1")
    summary = "admin: 机构、成员、知识产权、频道及团队负责的平台（管理员）"
    assert summary in program.ok("help", as_="brand1").lines
    assert program.ok("help admin", as_="brand1").text == summary


def test_unknown_words_are_refused_with_a_suggestion(program: Harness) -> None:
    assert program.refused("help nothing", as_="brand1") == "There is no command 'nothing'. `help` lists them."
    assert program.refused("outcom MS-000001 removed", as_="team1") == (
        "There is no command 'outcom'. Did you mean `outcome`? `help` lists the commands."
    )
