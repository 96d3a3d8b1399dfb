"""Case routing: platforms per team member (`admin team`), each new case to the least-loaded member
for its platform, `cases mine`, and handing a case to a colleague (`case <id> assign`)."""

from __future__ import annotations

from sqlmodel import col, select

from handlers.kit.context import Attachment
from storage.models import AuditEntry, Complaint, Member, PlatformAssignment
from support.harness import Harness, Posted

TAOBAO = "https://item.taobao.com/item.htm?id={}"
TMALL = "https://detail.tmall.com/item.htm?id={}"


def file_case(bot: Harness, n: int, link: str = TAOBAO, as_: str = "brand1") -> None:
    """One case of one listing (listing number `n`, which must be new)."""
    bot.ok(f"complaint {link.format(n)}", as_=as_)


def assignees(bot: Harness) -> dict[str, str | None]:
    """Case id -> the identity of the member it is assigned to (None: the whole team)."""
    with bot.database.transaction() as session:
        rows = session.exec(select(Complaint).order_by(col(Complaint.id))).all()
        members = {m.id: f"{m.platform}:{m.user_id}" for m in session.exec(select(Member)).all()}
        return {c.case_id: members[c.assigned_to_id] if c.assigned_to_id else None for c in rows}


def add_team_member(bot: Harness, name: str, platforms: str | None = None) -> None:
    bot.ok(f"admin member add console:{name} - team")
    if platforms is not None:
        bot.ok(f"admin team console:{name} platforms={platforms}")


def message_ref(bot: Harness, posted: Posted) -> str:
    return f"msg-{bot.poster.posted.index(posted) + 1}"


# --- admin team -------------------------------------------------------------------------------


def test_an_admin_sets_a_team_members_platforms_and_replaces_them(program: Harness) -> None:
    reply = program.ok("admin team console:team1 platforms=taobao,tmall")
    assert reply.text == "console:team1 now covers Taobao, Tmall: new cases there may go to them."
    reply = program.ok("admin team console:team1 platforms=Tmall-Global,alibaba.com,1688")
    assert reply.text == "console:team1 now covers Tmall Global, 1688, Alibaba.com: new cases there may go to them."
    with program.database.transaction() as session:
        stored = session.exec(select(PlatformAssignment.platform).order_by(col(PlatformAssignment.platform))).all()
    assert sorted(stored) == ["1688", "alibaba", "tmall_global"]
    assert program.ok("admin team console:team1 platforms=1688,tmall_global,alibaba").text == (
        "console:team1 already covers Tmall Global, 1688, Alibaba.com; nothing changed."
    )


def test_platforms_none_clears_them_and_says_open_cases_stay(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    file_case(program, 1)
    reply = program.ok("admin team console:team1 platforms=none")
    assert reply.text == (
        "console:team1 covers no platform now: they get no new cases. Their 1 open case stays with them; "
        "`case <id> assign <platform:user>` hands one over."
    )
    assert program.ok("admin team console:team1 platforms=none").text == (
        "console:team1 already covers no platform; nothing changed."
    )
    file_case(program, 2)
    assert assignees(program) == {"MS-000001": "console:team1", "MS-000002": None}


def test_admin_team_lists_members_with_their_platforms_load_and_what_nobody_covers(program: Harness) -> None:
    add_team_member(program, "team2", "taobao")
    program.ok("admin team console:team1 platforms=taobao,aliexpress")
    file_case(program, 1)
    file_case(program, 2)
    file_case(program, 3)
    reply = program.ok("admin team")
    assert reply.text == "2 team members (team and admins):", "an admin only by the settings is not on the roster"
    assert reply.lines == [
        "console:team1 (team): Taobao, AliExpress · 2 open cases",
        "console:team2 (team): Taobao · 1 open case",
        "Not covered (their cases go to the whole team): Tmall, Tmall Global, 1688, Alibaba.com",
    ]


def test_admin_team_records_the_change_in_the_audit_log(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    program.ok("admin team console:team1 platforms=tmall,taobao")
    with program.database.transaction() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.action == "platforms")).all()
        notes = [(entry.actor, entry.entity, entry.note) for entry in entries]
    assert notes == [
        ("console:operator", "member", "none -> taobao"),
        ("console:operator", "member", "taobao -> taobao,tmall"),
    ]


def test_admin_team_input_mistakes_are_explained(program: Harness) -> None:
    message = program.refused("admin team console:team1 platforms=taobao,ebay")
    assert message == (
        "'ebay' is not a marketplace platform. Use one of: taobao, tmall, tmall_global, aliexpress, 1688, alibaba."
    )
    assert program.refused("admin team console:team1") == (
        "Say which platforms console:team1 covers. admin team console:team1 platforms=taobao,tmall (or platforms=none)"
    )
    assert program.refused("admin team console:team1 taobao").startswith("'taobao' is not understood here.")
    assert program.refused("admin team console:team1 platforms=,").startswith("platforms= names no platform.")
    assert program.refused("admin team console:team1 platforms=none,taobao") == (
        "platforms=none clears the list; it cannot be combined with platform names."
    )
    assert program.refused("admin team console:team1 platform=taobao") == (
        "Unknown option platform=. Options here: platforms=."
    )
    assert program.refused("admin team platforms=taobao") == (
        "Name the team member: `admin team <platform:user> platforms=taobao,tmall`."
    )
    assert program.refused("admin team team1 platforms=taobao").startswith("'team1' is not a chat identity.")
    assert program.refused("admin team console:nobody platforms=taobao") == (
        "console:nobody is not a member. `admin member add console:nobody - team` adds them to the team."
    )
    assert program.refused("admin team console:brand1 platforms=taobao") == (
        "console:brand1 is a member: only team members and admins act on platforms' cases. "
        "`admin member add console:brand1 - team move=yes` moves them out of their organisation onto the team first."
    )
    program.ok("admin member remove console:team1")
    assert program.refused("admin team console:team1 platforms=taobao").startswith("console:team1 is not a member.")
    with program.database.transaction() as session:
        assert session.exec(select(PlatformAssignment)).all() == []


def test_only_admins_set_platforms(program: Harness) -> None:
    message = program.refused("admin team console:team1 platforms=taobao", as_="team1")
    assert message == "Only program admins can manage the program."
    assert program.refused("admin team", as_="team1") == "Only program admins can manage the program."


# --- routing new cases ------------------------------------------------------------------------


def test_cases_alternate_between_two_members_by_load_ties_to_the_earlier_member(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    add_team_member(program, "team2", "taobao")
    for n in range(1, 5):
        file_case(program, n)
    assert assignees(program) == {
        "MS-000001": "console:team1",
        "MS-000002": "console:team2",
        "MS-000003": "console:team1",
        "MS-000004": "console:team2",
    }


def test_the_assignees_message_ends_once_after_a_name_ending_in_a_full_stop(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    program.ok('admin org add initech "Initech Inc."')
    program.ok('admin right add initech trademark 555 mark="INITECH" jurisdiction=CN')
    program.ok("admin right verify 3")
    program.ok("admin member add console:peter initech member")
    program.delivered()
    file_case(program, 1, as_="peter")
    posted = program.delivered()
    assert posted[-1].text == "MS-000001 is yours: 1 Taobao listing from Initech Inc. `case MS-000001` shows it."


def test_the_team_message_names_the_assignee_and_the_assignee_gets_a_direct_message(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    program.delivered()
    file_case(program, 1)
    posted = program.delivered()
    assert [(p.channel, p.kind) for p in posted] == [
        ("team", "case_opened"),
        ("org:acme", "case_opened"),
        ("dm:console:team1", "case_assigned"),
    ]
    assert posted[0].text == "New case MS-000001 from ACME Corp: 1 Taobao listing, assigned to console:team1."
    assert posted[2].text == "MS-000001 is yours: 1 Taobao listing from ACME Corp. `case MS-000001` shows it."
    assert posted[2].case_id is None, "a direct message stands alone, so the member is notified of it"
    assert "assigned" not in posted[1].text, "the brand's message says nothing of the team's routing"


def test_the_assignee_is_named_by_display_name_when_known(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    with program.database.transaction() as session:
        member = session.exec(select(Member).where(Member.user_id == "team1")).one()
        member.display_name = "Li Wei"
        session.add(member)
    program.delivered()
    file_case(program, 1)
    (team_message,) = [p for p in program.delivered() if p.channel == "team"]
    assert team_message.text == "New case MS-000001 from ACME Corp: 1 Taobao listing, assigned to Li Wei."
    assert ("Assigned to", "Li Wei") in program.ok("case MS-000001", as_="team1").fields


def test_a_member_with_more_open_cases_gets_none_until_the_other_catches_up(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    for n in range(1, 4):
        file_case(program, n)
    add_team_member(program, "team2", "taobao")
    for n in range(4, 8):
        file_case(program, n)
    routed = list(assignees(program).values())
    assert routed[:3] == ["console:team1"] * 3
    assert routed[3:6] == ["console:team2"] * 3, "team2 catches up before team1 gets another"
    assert routed[6] == "console:team1", "at 3 each, the tie goes to the earlier member"


def test_decided_cases_no_longer_count_towards_the_load(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    add_team_member(program, "team2", "taobao")
    file_case(program, 1)  # team1
    file_case(program, 2)  # team2
    program.ok("outcome MS-000001 all removed", as_="team1")  # team1's case is actioned
    file_case(program, 3)
    assert assignees(program)["MS-000003"] == "console:team1"
    program.ok("withdraw MS-000003", as_="brand1")  # a withdrawn case is no load either
    file_case(program, 4)
    assert assignees(program)["MS-000004"] == "console:team1"


def test_partly_decided_and_returned_cases_still_count(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    add_team_member(program, "team2", "taobao")
    program.ok(f"complaint {TAOBAO.format(1)} {TAOBAO.format(2)}", as_="brand1")  # team1
    file_case(program, 3)  # team2
    program.ok("outcome MS-000001 1 removed", as_="team1")  # partially actioned: still open
    program.ok('outcome MS-000002 need_info note="which colour?"', as_="team2")  # returned: still open
    file_case(program, 4)
    assert assignees(program)["MS-000003"] == "console:team1"
    assert program.ok("case MS-000001", as_="team1").text.startswith("MS-000001 · partially_actioned")
    assert program.ok("case MS-000002", as_="team2").text.startswith("MS-000002 · returned")
    file_case(program, 5)
    assert assignees(program)["MS-000004"] == "console:team2", "team1 now carries 2 open cases, team2 one"


def test_the_load_counts_open_cases_on_every_platform(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao,tmall")
    add_team_member(program, "team2", "taobao")
    file_case(program, 1, link=TMALL)  # only team1 covers Tmall
    file_case(program, 2)  # team1 carries one case, team2 none
    assert assignees(program) == {"MS-000001": "console:team1", "MS-000002": "console:team2"}


def test_cases_filed_from_a_csv_file_are_routed_too(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    content = ("link\n" + "\n".join(TAOBAO.format(n) for n in range(1, 4)) + "\n").encode()
    program.ok("complaint", as_="brand1", attachments=(Attachment("links.csv", content),))
    assert assignees(program) == {"MS-000001": "console:team1"}


def test_a_team_member_with_no_platform_gets_no_cases(program: Harness) -> None:
    add_team_member(program, "team2", "taobao")
    for n in range(1, 4):
        file_case(program, n)
    assert set(assignees(program).values()) == {"console:team2"}
    assert program.ok("cases mine", as_="team1").text == "You have no open cases assigned."


def test_admins_can_cover_a_platform_too(program: Harness) -> None:
    program.ok("admin member add console:operator - admin")  # an admin by the settings is granted a role explicitly
    program.ok("admin team console:operator platforms=tmall")
    file_case(program, 1, link=TMALL)
    assert assignees(program) == {"MS-000001": "console:operator"}


def test_removed_or_demoted_members_get_no_new_cases(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    add_team_member(program, "team2", "taobao")
    file_case(program, 1)  # team1
    program.ok("admin member remove console:team1")
    file_case(program, 2)
    file_case(program, 3)
    program.ok("admin member add console:team2 acme member")  # no longer on the team
    file_case(program, 4)
    assert assignees(program) == {
        "MS-000001": "console:team1",
        "MS-000002": "console:team2",
        "MS-000003": "console:team2",
        "MS-000004": None,
    }
    view = program.ok("case MS-000001")
    assert ("Assigned to", "console:team1 (no longer on the team)") in view.fields


def test_a_platform_nobody_covers_goes_to_the_whole_team_with_one_warning_a_day(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=tmall")
    program.delivered()
    file_case(program, 1)
    posted = program.delivered()
    assert [(p.channel, p.kind) for p in posted] == [
        ("team", "case_opened"),
        ("org:acme", "case_opened"),
        ("team", "routing_warning"),
    ]
    assert posted[0].text == (
        "New case MS-000001 from ACME Corp: 1 Taobao listing; no team member covers Taobao: the whole team."
    )
    assert posted[2].text == (
        "No team member covers Taobao: its new cases go to the whole team (first today: MS-000001). "
        "Admins: `admin team <platform:user> platforms=taobao` assigns someone."
    )
    assert posted[2].case_id is None
    file_case(program, 2)
    assert [p.kind for p in program.delivered()] == ["case_opened", "case_opened"], "one warning a day"
    program.clock.advance(hours=3)  # 18:00 in New York: still the same day
    file_case(program, 3)
    assert "routing_warning" not in [p.kind for p in program.delivered()]
    program.clock.advance(hours=2)  # 20:00 UTC + 5 h: 20:00 in New York, still Wednesday
    file_case(program, 4)
    assert "routing_warning" not in [p.kind for p in program.delivered()]
    program.clock.advance(hours=5)  # past midnight in New York: a new day
    file_case(program, 5)
    assert [p.text for p in program.delivered() if p.kind == "routing_warning"] == [
        "No team member covers Taobao: its new cases go to the whole team (first today: MS-000005). "
        "Admins: `admin team <platform:user> platforms=taobao` assigns someone."
    ]
    assert set(assignees(program).values()) == {None}
    assert ("Assigned to", "the whole team") in program.ok("case MS-000001", as_="team1").fields


def test_one_paste_over_two_uncovered_platforms_warns_once_for_each(program: Harness) -> None:
    links = " ".join([TAOBAO.format(n) for n in range(1, 302)] + [TMALL.format(1)])
    program.ok(f"complaint {links}", as_="brand1")
    warnings = [p.text for p in program.delivered() if p.kind == "routing_warning"]
    assert [text.split(":")[0] for text in warnings] == ["No team member covers Taobao", "No team member covers Tmall"]
    assert assignees(program) == {"MS-000001": None, "MS-000002": None, "MS-000003": None}


# --- cases mine -------------------------------------------------------------------------------


def test_cases_mine_lists_a_members_open_cases_and_all_of_them_on_request(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao,tmall")
    add_team_member(program, "team2", "taobao")
    file_case(program, 1)  # team1
    file_case(program, 2)  # team2
    file_case(program, 3, link=TMALL)  # team1 (1 each; the lower id)
    file_case(program, 4, as_="brand2")  # team2
    program.ok("outcome MS-000001 all removed", as_="team1")
    reply = program.ok("cases mine", as_="team1")
    assert reply.text == "1 open case assigned to you (page 1 of 1):"
    assert reply.lines == ["MS-000003 2026-11-18 1 Tmall listing · submitted · 0/1 decided"]
    assert program.ok("cases --mine", as_="team1").lines == reply.lines
    everything = program.ok("cases mine all", as_="team1")
    assert everything.text == "2 cases assigned to you (page 1 of 1):"
    assert [line.split()[0] for line in everything.lines] == ["MS-000003", "MS-000001"]
    assert [line.split()[0] for line in program.ok("cases mine status=actioned", as_="team1").lines] == ["MS-000001"]
    assert [line.split()[0] for line in program.ok("cases mine", as_="team2").lines] == ["MS-000004", "MS-000002"]
    assert [line.split()[0] for line in program.ok("cases mine org=globex", as_="team2").lines] == ["MS-000004"]
    assert program.ok("cases mine platform=tmall", as_="team2").text == "No cases assigned to you match."
    assert program.ok("cases", as_="team1").text == "4 cases (page 1 of 1):", "plain `cases` is unchanged"


def test_cases_mine_mistakes_are_explained(program: Harness) -> None:
    message = program.refused("cases mine", as_="brand1")
    assert message == (
        "`cases mine` lists the cases assigned to a team member. `cases` lists your organisation's cases."
    )
    assert program.refused("cases all", as_="team1") == (
        "`all` goes with `cases mine`: `cases` alone already lists every case."
    )
    assert program.refused("cases mine open all", as_="team1") == "Choose `open` or `all`, not both."
    assert program.refused("cases mine yours", as_="team1").startswith("'yours' is not a filter here.")


# --- handing a case over ----------------------------------------------------------------------


def test_a_team_member_hands_a_case_to_a_colleague_with_audit_and_notices(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    add_team_member(program, "team2", "taobao")
    file_case(program, 1)
    team_thread = next(message_ref(program, p) for p in program.delivered() if p.channel == "team")
    reply = program.ok("case MS-000001 assign console:team2", as_="team1")
    assert reply.text == "MS-000001 is now assigned to console:team2 (was console:team1)."
    posted = program.delivered()
    assert [(p.channel, p.case_id, p.kind) for p in posted] == [
        ("dm:console:team2", None, "case_assigned"),
        ("team", "MS-000001", "case_assigned"),
    ]
    assert posted[0].text == (
        "MS-000001 is yours: 1 Taobao listing from ACME Corp, handed over by console:team1. `case MS-000001` shows it."
    )
    assert posted[1].text == "console:team1 handed MS-000001 to console:team2 (was console:team1)."
    assert posted[1].thread_ref == team_thread
    with program.database.transaction() as session:
        (entry,) = session.exec(select(AuditEntry).where(AuditEntry.action == "assigned")).all()
        assert (entry.actor, entry.entity, entry.entity_id, entry.from_status, entry.to_status) == (
            "console:team1", "complaint", 1, "console:team1", "console:team2",
        )  # fmt: skip
    view = program.ok("case MS-000001", as_="team2")
    assert ("Assigned to", "console:team2") in view.fields
    assert "2026-11-18 15:00 EST console:team1: case assigned console:team1 -> console:team2" in view.lines
    assert [line.split()[0] for line in program.ok("cases mine", as_="team2").lines] == ["MS-000001"]
    assert program.ok("cases mine", as_="team1").text == "You have no open cases assigned."


def test_taking_a_case_yourself_needs_no_direct_message(program: Harness) -> None:
    file_case(program, 1)  # nobody covers Taobao: the whole team
    program.delivered()
    reply = program.ok("case MS-000001 assign me", as_="team1")
    assert reply.text == "MS-000001 is now yours (was the whole team). Note: You do not cover Taobao."
    [line] = program.delivered()
    assert (line.channel, line.text) == ("team", "console:team1 took MS-000001 (was the whole team).")
    history = program.ok("case MS-000001", as_="team1").lines
    assert "2026-11-18 15:00 EST console:team1: case assigned the whole team -> console:team1" in history


def test_an_admin_named_in_the_settings_takes_a_case_but_gets_no_new_ones(program: Harness) -> None:
    file_case(program, 1)  # nobody covers Taobao: the whole team
    program.delivered()
    reply = program.ok("case MS-000001 assign me")  # console:operator, an admin by the settings only
    assert reply.text == "MS-000001 is now yours (was the whole team). Note: You do not cover Taobao."
    assert [(p.channel, p.text) for p in program.delivered()] == [
        ("team", "console:operator took MS-000001 (was the whole team).")
    ]
    assert ("Assigned to", "console:operator") in program.ok("case MS-000001").fields
    file_case(program, 2)
    assert assignees(program) == {"MS-000001": "console:operator", "MS-000002": None}


def test_a_colleague_hands_a_case_to_an_admin_named_in_the_settings_and_everyone_sees_them_as_its_assignee(
    program: Harness,
) -> None:
    file_case(program, 1)  # nobody covers Taobao: the whole team
    program.delivered()
    reply = program.ok("case MS-000001 assign console:operator", as_="team1")
    assert reply.text == (
        "MS-000001 is now assigned to console:operator (was the whole team). "
        "Note: console:operator does not cover Taobao."
    )
    assert assignees(program) == {"MS-000001": "console:operator"}
    assert ("Assigned to", "console:operator") in program.ok("case MS-000001", as_="team1").fields


def test_a_case_can_go_to_a_colleague_who_does_not_cover_its_platform_with_a_warning(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    add_team_member(program, "team2", "tmall")
    file_case(program, 1)
    reply = program.ok("case MS-000001 assign console:team2", as_="team1")
    assert reply.text == (
        "MS-000001 is now assigned to console:team2 (was console:team1). Note: console:team2 does not cover Taobao."
    )
    assert assignees(program) == {"MS-000001": "console:team2"}


def test_an_admin_can_hand_over_and_a_long_identity_is_audited_by_member_id(program: Harness) -> None:
    long_name = "x" * 40
    program.ok(f"admin member add console:{long_name} - team")
    file_case(program, 1)
    program.ok(f"case MS-000001 assign console:{long_name}")
    with program.database.transaction() as session:
        member = session.exec(select(Member).where(Member.user_id == long_name)).one()
        (entry,) = session.exec(select(AuditEntry).where(AuditEntry.action == "assigned")).all()
        assert (entry.from_status, entry.to_status) == (None, f"member #{member.id}")
    assert assignees(program) == {"MS-000001": f"console:{long_name}"}


def test_hand_over_mistakes_are_explained_and_change_nothing(program: Harness) -> None:
    program.ok("admin member add console:operator - admin")  # an admin by the settings is granted a role explicitly
    program.ok("admin team console:team1 platforms=taobao")
    file_case(program, 1)
    file_case(program, 2)
    program.ok("outcome MS-000002 all removed", as_="team1")
    program.delivered()
    assert program.refused("case MS-000001 assign console:team1", as_="brand1") == (
        "Only the IACC/Alibaba team can assign cases. Ask a team member in your case thread if you need this done."
    )
    assert program.refused("case MS-000001 assign", as_="team1") == (
        "Missing who to assign it to: case MS-000001 assign <platform:user | me>."
    )
    assert program.refused("case MS-000001 assign team2", as_="team1").startswith("'team2' is not a chat identity.")
    assert program.refused("case MS-000001 assign console:nobody", as_="team1") == (
        "console:nobody is not a member. Name a team member or admin as platform:user, or `me`."
    )
    assert program.refused("case MS-000001 assign console:brand1", as_="team1") == (
        "console:brand1 is a member, not on the team: only team members and admins take cases. "
        "`admin member add console:brand1 - team move=yes` moves them out of their organisation onto the team."
    )
    assert program.refused("case MS-000001 assign console:team1", as_="team1") == (
        "MS-000001 is already assigned to console:team1."
    )
    assert program.refused("case MS-000001 assign me", as_="team1") == "MS-000001 is already assigned to console:team1."
    assert program.refused("case MS-000002 assign console:operator", as_="team1") == (
        "MS-000002 is actioned: only open cases can be handed over."
    )
    assert program.refused("case MS-000001 assign console:team1 console:operator", as_="team1").startswith(
        "'console:operator' is not understood here: a case goes to one person."
    )
    assert program.refused("case MS-000099 assign me", as_="team1").startswith("There is no case MS-000099")
    assert program.delivered() == []
    assert assignees(program) == {"MS-000001": "console:team1", "MS-000002": "console:team1"}


def test_the_brand_sees_neither_the_assignee_nor_hand_overs(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    add_team_member(program, "team2")
    file_case(program, 1)
    program.ok("case MS-000001 assign console:team2", as_="team1")
    view = program.ok("case MS-000001", as_="brand1")
    assert [name for name, _ in view.fields] == ["Organisation", "IP right", "Reason", "Filed", "Items"]
    assert not any("assigned" in line for line in view.lines)
    team_view = program.ok("case MS-000001", as_="team1")
    assert [name for name, _ in team_view.fields] == [
        "Organisation", "IP right", "Reason", "Filed", "Assigned to", "Items",
    ]  # fmt: skip


def test_the_team_case_message_keeps_naming_the_assignee_after_an_outcome(program: Harness) -> None:
    program.ok("admin team console:team1 platforms=taobao")
    program.ok("complaint https://item.taobao.com/item.htm?id=1 https://item.taobao.com/item.htm?id=2", as_="brand1")
    program.delivered()
    program.ok("outcome MS-000001 1 removed", as_="team1")
    program.delivered()
    updated = {p.channel: p.text for p in program.poster.updated}
    assert updated["team"].endswith("Assigned to console:team1.")
    assert "Assigned to" not in updated["org:acme"], "routing is the team's business"
