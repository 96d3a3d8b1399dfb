"""The working group: proposals and best practices, votes, the team's decisions, meeting decisions.

The harness clock starts on Wednesday 2026-11-18 at 20:00 UTC (15:00 in New York).
"""

from __future__ import annotations

from typing import cast

from sqlmodel import col, select

import handlers.catalogue  # noqa: F401  (registers `propose` and `practices`)
from bot.router import Incoming
from handlers.kit.context import Caller
from handlers.kit.replies import Reply
from storage.models import AuditEntry, MeetingDecision, OutboxNotice, ProposalVote
from support.harness import Harness

TEXT = "Sellers whose listings were removed twice should be flagged to every member."
PROPOSE = f'propose title="Flag repeat sellers" tags=Taobao,handbags {TEXT}'
SHARE = 'practices share title="Relabelled watches" tags=aliexpress,watches Look for serial numbers cut off the case.'
BUTTONS = ("propose vote P-0001 up", "propose vote P-0001 down")


def stored(bot: Harness, kind: str) -> list[tuple[str, str, list[list[str]]]]:
    """Notices of one kind as written to the outbox: channel, text and fields."""
    with bot.database.transaction() as session:
        rows = session.exec(select(OutboxNotice).where(OutboxNotice.kind == kind).order_by(col(OutboxNotice.id))).all()
        return [(row.channel, row.text, cast(list[list[str]], row.payload["fields"])) for row in rows]


def submit(bot: Harness, as_: str, command: str, values: dict[str, str]) -> Reply:
    form = bot.ok(command, as_=as_).form
    assert form is not None
    args = form.form.to_args(values)
    return bot.router.handle(Incoming(Caller("console", as_), form.form.command, args=args))


def error_field(bot: Harness, text: str, as_: str = "brand1") -> tuple[str, str | None]:
    reply = bot.send(text, as_)
    assert reply.is_error, reply.render_plain()
    return reply.text, reply.error_field


# --- proposing --------------------------------------------------------------------------------


def test_a_proposal_is_posted_to_the_working_group_with_vote_buttons(program: Harness) -> None:
    reply = program.ok(PROPOSE, as_="brand1")
    assert reply.text == "Posted proposal P-0001 to the working group: Flag repeat sellers"
    assert reply.fields == [("Tags", "taobao, handbags")]
    (posted,) = program.delivered()
    assert (posted.channel, posted.kind, posted.case_id) == ("working-group", "proposal", None)
    assert posted.text == "New proposal P-0001 from console:brand1 (ACME Corp): Flag repeat sellers"
    assert posted.buttons == BUTTONS
    assert stored(program, "proposal")[0][2] == [["Proposal", TEXT], ["Tags", "taobao, handbags"]]
    shown = program.ok("propose show P-0001", as_="brand2")
    assert shown.text == "P-0001: Flag repeat sellers"
    assert dict(shown.fields) == {
        "Status": "open",
        "Votes": "0 (0 for, 0 against)",
        "Tags": "taobao, handbags",
        "From": "console:brand1 (ACME Corp)",
        "Posted": "2026-11-18 15:00 EST",
    }
    assert shown.lines == [TEXT]
    assert [button.command for button in shown.buttons] == list(BUTTONS)


def test_a_title_before_two_dashes_and_tags_at_the_end_work_too(program: Harness) -> None:
    reply = program.ok(
        "propose Seller history on the form -- Show each seller's removals (see item.htm?id=5)\n"
        "when we file. tags=tmall_global",
        as_="team1",
    )
    assert reply.text == "Posted proposal P-0001 to the working group: Seller history on the form"
    assert reply.fields == [("Tags", "tmall-global")]
    assert program.delivered()[0].text == "New proposal P-0001 from console:team1: Seller history on the form"
    shown = program.ok("propose show p-1")
    assert shown.lines == ["Show each seller's removals (see item.htm?id=5)", "when we file."]


def test_propose_alone_opens_a_form_that_files_the_proposal(program: Harness) -> None:
    reply = program.ok("propose", as_="brand2")
    assert reply.form is not None and reply.form.form.command == "propose"
    assert [field.name for field in reply.form.form.fields] == ["title", "text", "tags"]
    done = submit(program, "brand2", "propose", {"title": "Weekly digest by platform", "text": TEXT, "tags": ""})
    assert done.text == "Posted proposal P-0001 to the working group: Weekly digest by platform"
    assert program.delivered()[0].text == (
        "New proposal P-0001 from console:brand2 (Globex Ltd): Weekly digest by platform"
    )
    empty = submit(program, "brand2", "propose", {"title": "", "text": TEXT})
    assert (empty.is_error, empty.error_field) == (True, "title")
    assert empty.text == "The title is empty; it needs 3 to 200 characters."
    short = submit(program, "brand2", "propose", {"title": "A good idea", "text": "Too short"})
    assert (short.text, short.error_field) == ("The text is 9 characters; it needs 10 to 4,000 characters.", "text")


def test_empty_and_oversized_titles_texts_and_tags_are_refused_with_the_limit(program: Harness) -> None:
    assert error_field(program, f'propose title="" {TEXT}') == (
        "The title is empty; it needs 3 to 200 characters.",
        "title",
    )
    assert error_field(program, f'propose title="ab" {TEXT}') == (
        "The title is 2 characters; it needs 3 to 200 characters.",
        "title",
    )
    assert error_field(program, f'propose title="{"t" * 201}" {TEXT}') == (
        "The title is 201 characters; the limit is 200.",
        "title",
    )
    assert error_field(program, 'propose title="Flag repeat sellers"') == (
        "The text is empty; it needs 10 to 4,000 characters.",
        "text",
    )
    assert error_field(program, f'propose title="Flag repeat sellers" {"x" * 4001}') == (
        "The text is 4,001 characters; the limit is 4,000.",
        "text",
    )
    eleven = ",".join(f"tag{n}" for n in range(11))
    assert error_field(program, f'propose title="Flag repeat sellers" tags={eleven} {TEXT}') == (
        "That is 11 tags; the limit is 10.",
        "tags",
    )
    assert error_field(program, f'propose title="Flag repeat sellers" tags={"a" * 41} {TEXT}') == (
        f"The tag '{'a' * 41}' is 41 characters; the limit is 40.",
        "tags",
    )
    assert error_field(program, f'propose title="Flag repeat sellers" tags=hand/bags {TEXT}') == (
        "'hand/bags' is not a tag. Tags are letters a-z, digits and hyphens, separated by commas, "
        "e.g. tags=taobao,handbags.",
        "tags",
    )
    long_tags = ",".join(f"{n}{'t' * 38}" for n in range(8))  # 8 tags of 39: 319 characters with commas
    assert error_field(program, f'propose title="Flag repeat sellers" tags={long_tags} {TEXT}') == (
        "The tags take 319 characters together; the limit is 300. Use fewer or shorter tags.",
        "tags",
    )
    assert error_field(program, f"propose Flag repeat sellers {TEXT}") == (
        'Give it a title. Write propose title="<title>" [tags=...] <text>, or propose <title> -- <text>.',
        "title",
    )
    assert error_field(program, f'propose title="Flag repeat sellers" text="{TEXT}" {TEXT}') == (
        'Give the text once: after the options, or in text="...", not both.',
        "text",
    )
    assert program.refused(f'propose title="Flag repeat sellers" platform=taobao {TEXT}').startswith(
        "Unknown option platform=."
    )
    assert program.ok("propose list all").text == "No proposals."
    assert program.delivered() == []


def test_only_members_of_the_program_can_propose(program: Harness) -> None:
    assert program.refused(PROPOSE, as_="stranger").startswith("You need to be in the program to use `propose`.")


# --- voting -----------------------------------------------------------------------------------


def test_each_member_votes_once_and_can_change_their_vote(program: Harness) -> None:
    program.ok(PROPOSE, as_="brand1")
    assert program.ok("propose vote P-0001 up", as_="brand2").text == (
        "You voted for P-0001 (Flag repeat sellers). Score now +1 (1 for, 0 against)."
    )
    assert program.refused("propose vote P-0001 up", as_="brand2") == (
        "You already voted for P-0001. To change your vote: propose vote P-0001 down."
    )
    assert program.ok("propose vote P-0001 down", as_="brand2").text == (
        "You changed your vote on P-0001 to against (Flag repeat sellers). Score now -1 (0 for, 1 against)."
    )
    assert program.refused("propose vote P-0001 down", as_="brand2") == (
        "You already voted against P-0001. To change your vote: propose vote P-0001 up."
    )
    assert program.ok("propose vote P-0001 up", as_="team1").text.endswith("Score now 0 (1 for, 1 against).")
    assert program.ok("propose vote P-0001 for", as_="brand1").text.endswith("Score now +1 (2 for, 1 against).")
    assert dict(program.ok("propose show P-0001").fields)["Votes"] == "+1 (2 for, 1 against)"
    with program.database.transaction() as session:
        assert len(session.exec(select(ProposalVote)).all()) == 3


def test_votes_name_what_was_wrong(program: Harness) -> None:
    program.ok(PROPOSE, as_="brand1")
    assert program.refused("propose vote P-0001 sideways", as_="brand2") == (
        "'sideways' is not a vote. Vote up (for) or down (against): Write propose vote <P-0001> up|down."
    )
    assert program.refused("propose vote P-0009 up", as_="brand2") == (
        "There is no proposal P-0009. `propose list all` shows them with their references."
    )
    assert program.refused("propose vote BP-0001 up", as_="brand2") == (
        "There is no best practice BP-0001. `practices list` shows them with their references."
    )
    assert program.refused("propose vote MS-000001 up", as_="brand2").startswith(
        "'MS-000001' is not a proposal or best practice reference."
    )
    assert program.refused("propose vote P-0001", as_="brand2") == "Up or down? Write propose vote <P-0001> up|down."


# --- listing and searching --------------------------------------------------------------------


def propose_three(program: Harness) -> None:
    program.ok(f'propose title="Flag repeat sellers" tags=taobao,handbags {TEXT}', as_="brand1")
    program.ok(
        'propose title="Chinese help in orientation" tags=training Interpreters at the orientation.', as_="brand2"
    )
    program.ok(
        'propose title="Faster AliExpress removals" tags=aliexpress Fake bags from repeat SELLERS stay up too long.',
        as_="brand2",
    )
    for who in ("brand1", "team1"):
        program.ok("propose vote P-0003 up", as_=who)
    program.ok("propose vote P-0002 down", as_="brand1")


def test_the_list_puts_the_most_voted_first_and_can_show_the_newest(program: Harness) -> None:
    propose_three(program)
    listing = program.ok("propose list", as_="brand1")
    assert listing.text == "3 undecided proposals, most votes first:"
    assert listing.lines == [
        "P-0003 · Faster AliExpress removals · +2 (2 for, 0 against) · open · aliexpress",
        "P-0001 · Flag repeat sellers · 0 (0 for, 0 against) · open · taobao, handbags",
        "P-0002 · Chinese help in orientation · -1 (0 for, 1 against) · open · training",
    ]
    newest = program.ok("propose list sort=newest", as_="brand1")
    assert newest.text == "3 undecided proposals, newest first:"
    assert [line.split(" · ")[0] for line in newest.lines] == ["P-0003", "P-0002", "P-0001"]


def test_the_list_filters_by_tag_text_and_status(program: Harness) -> None:
    propose_three(program)
    tagged = program.ok("propose list tag=TAOBAO")
    assert tagged.text == "1 undecided proposal tagged taobao, most votes first:"
    assert [line.split(" · ")[0] for line in tagged.lines] == ["P-0001"]
    found = program.ok('propose list search="Repeat sellers"')
    assert found.text == '2 undecided proposals matching "Repeat sellers", most votes first:'
    assert [line.split(" · ")[0] for line in found.lines] == ["P-0003", "P-0001"]
    assert program.ok("propose list search=ORIENTATION").lines[0].startswith("P-0002 · Chinese help")
    assert program.ok("propose list search=handbags").text == 'No undecided proposals matching "handbags".'
    assert program.ok("propose list tag=training search=sellers").text == (
        'No undecided proposals tagged training matching "sellers".'
    )
    program.ok('propose accept P-0003 note="Removals are escalated after 2 days."', as_="team1")
    assert [line.split(" · ")[0] for line in program.ok("propose list").lines] == ["P-0001", "P-0002"]
    accepted = program.ok("propose list accepted")
    assert accepted.text == "1 accepted proposal, most votes first:"
    assert accepted.lines == ["P-0003 · Faster AliExpress removals · +2 (2 for, 0 against) · accepted · aliexpress"]
    assert program.ok("propose list all").text == "3 proposals, most votes first:"
    assert program.ok("propose list declined").text == "No declined proposals."
    assert program.refused("propose list search=fake handbags") == (
        "I did not expect 'handbags' there. Give one status: open, under_review, accepted, declined or all. "
        'Filter with tag=, search= (quote several words: search="fake bags"), sort= and page=.'
    )
    assert program.refused("propose list sort=best") == "'best' is not a way to sort. Use sort=votes or sort=newest."


def test_a_long_list_comes_in_pages(program: Harness) -> None:
    for number in range(1, 18):
        program.ok(f'propose title="Idea number {number}" {TEXT}', as_="brand1")
    first = program.ok("propose list")
    assert first.text == "17 undecided proposals, most votes first:"
    assert len(first.lines) == 16 and first.lines[-1] == "Page 1 of 2: add page=2 for more."
    second = program.ok("propose list page=2")
    assert [line.split(" · ")[0] for line in second.lines[:2]] == ["P-0016", "P-0017"]
    assert program.refused("propose list page=3") == "There is no page 3: the list has 2 pages."


# --- the team's decisions ---------------------------------------------------------------------


def test_accepting_tells_the_author_the_voters_and_the_working_group(program: Harness) -> None:
    program.ok("admin member add console:operator - admin")  # an admin by the settings is granted a role explicitly
    program.ok(PROPOSE, as_="brand1")
    program.ok("propose vote P-0001 up", as_="brand2")
    program.ok("propose vote P-0001 down", as_="operator")
    program.delivered()
    reviewed = program.ok("propose review P-0001", as_="team1")
    assert reviewed.text == "P-0001 is now under review."
    assert reviewed.lines == ["Told its author and 2 voters by direct message, and the working group."]
    assert {(p.channel, p.text) for p in program.delivered()} == {
        ("working-group", "P-0001 (Flag repeat sellers) is under review by the IACC/Alibaba team."),
        ("dm:console:brand1", "Your proposal P-0001 (Flag repeat sellers) is under review by the IACC/Alibaba team."),
        (
            "dm:console:brand2",
            "P-0001 (Flag repeat sellers), which you voted for, is under review by the IACC/Alibaba team.",
        ),
        (
            "dm:console:operator",
            "P-0001 (Flag repeat sellers), which you voted against, is under review by the IACC/Alibaba team.",
        ),
    }
    assert program.refused("propose review P-0001", as_="team1") == (
        "P-0001 is already under review. Accept or decline it: propose accept P-0001 ..."
    )
    assert error_field(program, "propose accept P-0001", as_="team1") == (
        'Accepting P-0001 needs a note saying what will change. Write propose accept P-0001 note="...".',
        "note",
    )
    accepted = program.ok('propose accept P-0001 note="Complaint forms get a repeat-seller flag."', as_="team1")
    assert accepted.text == "P-0001 is now accepted."
    change = "What will change: Complaint forms get a repeat-seller flag."
    assert {(p.channel, p.text) for p in program.delivered()} == {
        ("working-group", f"P-0001 (Flag repeat sellers) was accepted. {change}"),
        ("dm:console:brand1", f"Your proposal P-0001 (Flag repeat sellers) was accepted. {change}"),
        ("dm:console:brand2", f"P-0001 (Flag repeat sellers), which you voted for, was accepted. {change}"),
        ("dm:console:operator", f"P-0001 (Flag repeat sellers), which you voted against, was accepted. {change}"),
    }
    shown = dict(program.ok("propose show P-0001", as_="brand1").fields)
    assert shown["Status"] == "accepted"
    assert shown["Decision"] == "accepted by console:team1 on 2026-11-18 15:00 EST"
    assert shown["What will change"] == "Complaint forms get a repeat-seller flag."
    assert program.ok("propose show P-0001").buttons == []
    assert program.refused("propose vote P-0001 up", as_="team1") == (
        "P-0001 was accepted: its votes are closed. `propose show P-0001` shows the decision."
    )
    assert program.refused('propose decline P-0001 note="late"', as_="team1") == (
        "P-0001 was already accepted by console:team1. A decision stands; `propose show P-0001` shows it."
    )
    with program.database.transaction() as session:
        audit = session.exec(select(AuditEntry).where(AuditEntry.entity == "proposal", AuditEntry.action == "status"))
        assert [(e.from_status, e.to_status, e.actor) for e in audit] == [
            ("open", "under_review", "console:team1"),
            ("under_review", "accepted", "console:team1"),
        ]


def test_declining_needs_a_reason_which_the_author_hears(program: Harness) -> None:
    program.ok(PROPOSE, as_="brand1")
    program.delivered()
    assert error_field(program, "propose decline P-0001", as_="team1") == (
        'Declining P-0001 needs a note saying why. Write propose decline P-0001 note="...".',
        "note",
    )
    assert error_field(program, f'propose decline P-0001 note="{"n" * 1001}"', as_="team1") == (
        "The note is 1001 characters; the limit is 1000.",
        "note",
    )
    declined = program.ok('propose decline P-0001 note="The platforms flag repeat sellers already."', as_="team1")
    assert declined.lines == ["Told its author by direct message, and the working group."]
    assert [(p.channel, p.text) for p in program.delivered()] == [
        (
            "working-group",
            "P-0001 (Flag repeat sellers) was declined. Why: The platforms flag repeat sellers already.",
        ),
        (
            "dm:console:brand1",
            "Your proposal P-0001 (Flag repeat sellers) was declined. Why: The platforms flag repeat sellers already.",
        ),
    ]
    assert dict(program.ok("propose show P-0001").fields)["Why"] == "The platforms flag repeat sellers already."


def test_only_the_team_changes_a_proposals_status(program: Harness) -> None:
    program.ok(PROPOSE, as_="brand1")
    only_team = (
        "Only the IACC/Alibaba team can review, accept or decline proposals. "
        "Ask a team member in your case thread if you need this done."
    )
    for who in ("brand1", "brand2"):
        assert program.refused("propose review P-0001", as_=who) == only_team
        assert program.refused('propose accept P-0001 note="yes"', as_=who) == only_team
        assert program.refused('propose decline P-0001 note="no"', as_=who) == only_team
    assert dict(program.ok("propose show P-0001").fields)["Status"] == "open"


# --- best practices ---------------------------------------------------------------------------


def test_a_best_practice_is_shared_voted_on_and_listed(program: Harness) -> None:
    reply = program.ok(SHARE, as_="brand2")
    assert reply.text == "Posted best practice BP-0001 to the working group: Relabelled watches"
    (posted,) = program.delivered()
    assert (posted.channel, posted.kind) == ("working-group", "practice")
    assert posted.text == "New best practice BP-0001 from console:brand2 (Globex Ltd): Relabelled watches"
    assert posted.buttons == ("practices vote BP-0001 up", "practices vote BP-0001 down")
    assert reply.lines == ["Members vote on it with the buttons or `practices vote BP-0001 up|down`."]
    assert program.ok("practices vote BP-0001 up", as_="brand1").text == (
        "You voted for BP-0001 (Relabelled watches). Score now +1 (1 for, 0 against)."
    )
    assert program.ok("practices vote BP-1 down", as_="team1").text.endswith("Score now 0 (1 for, 1 against).")
    program.ok("practices share Template for raid evidence -- Scan every page at 300 dpi, in one PDF.", as_="team1")
    listing = program.ok("practices", as_="brand1")
    assert listing.text == "2 best practices, most votes first:"
    assert listing.lines == [
        "BP-0001 · Relabelled watches · 0 (1 for, 1 against) · aliexpress, watches",
        "BP-0002 · Template for raid evidence · 0 (0 for, 0 against)",
    ]
    assert program.ok("practices list search=PDF").lines == [listing.lines[1]]
    assert program.ok("practices list tag=watches sort=newest").lines == [listing.lines[0]]
    assert dict(program.ok("practices show BP-0001").fields)["Status"] == "shared"
    assert program.refused('propose accept BP-0001 note="x"', as_="team1") == (
        "BP-0001 is a best practice: it is shared, not decided on."
    )
    assert program.ok("propose list all").text == "No proposals."


def test_best_practices_are_numbered_apart_from_proposals(program: Harness) -> None:
    for number in range(1, 4):
        program.ok(f'propose title="Proposal {number}" {TEXT}', as_="brand1")
    assert program.ok(SHARE, as_="brand2").text == (
        "Posted best practice BP-0001 to the working group: Relabelled watches"
    )
    assert program.ok(PROPOSE, as_="brand1").text.startswith("Posted proposal P-0004 to the working group")
    assert program.ok("practices show 1").text == "BP-0001: Relabelled watches"
    assert program.ok("propose show 1").text == "P-0001: Proposal 1"
    assert program.ok("practices show BP-0001").text == "BP-0001: Relabelled watches"
    assert program.ok("practices vote 1 up", as_="brand1").text == (
        "You voted for BP-0001 (Relabelled watches). Score now +1 (1 for, 0 against)."
    )
    assert program.ok("propose vote 1 up", as_="brand2").text.startswith("You voted for P-0001 (Proposal 1).")
    assert program.refused("practices show BP-0002") == (
        "There is no best practice BP-0002. `practices list` shows them with their references."
    )


def test_each_command_takes_its_own_kind_of_reference_and_points_to_the_other(program: Harness) -> None:
    program.ok(PROPOSE, as_="brand1")
    program.ok(SHARE, as_="brand2")
    program.ok('calendar add meeting 2026-11-19 10:00 "Working-group call"')
    program.clock.advance(days=1)
    for command, answer in (
        ("practices show P-0001", "P-0001 is a proposal: use `propose show P-0001`."),
        ("practices vote P-1 up", "P-0001 is a proposal: use `propose vote P-0001 up`."),
        ("practices vote P-0001 against", "P-0001 is a proposal: use `propose vote P-0001 down`."),
        ("propose show BP-0001", "BP-0001 is a best practice: use `practices show BP-0001`."),
        ("propose vote BP-0001 up", "BP-0001 is a best practice: use `practices vote BP-0001 up`."),
        ("propose decline BP-0001 note=no", "BP-0001 is a best practice: it is shared, not decided on."),
        ("propose decision 1 BP-0001 We agreed.", "BP-0001 is a best practice: it is shared, not decided on."),
    ):
        assert error_field(program, command, as_="team1") == (answer, "ref"), command
    with program.database.transaction() as session:
        assert session.exec(select(ProposalVote)).all() == []
        assert session.exec(select(MeetingDecision)).all() == []
    assert program.ok("practices show 1").text == "BP-0001: Relabelled watches"
    assert program.ok("propose show 1").text == "P-0001: Flag repeat sellers"


def test_practices_share_alone_opens_a_form(program: Harness) -> None:
    reply = program.ok("practices share", as_="brand1")
    assert reply.form is not None and reply.form.form.command == "practices share"
    done = submit(
        program, "brand1", "practices share", {"title": "Photo checklist", "text": TEXT, "tags": "taobao handbags"}
    )
    assert done.text == "Posted best practice BP-0001 to the working group: Photo checklist"
    assert done.fields == [("Tags", "taobao, handbags")]
    oversized = submit(program, "brand1", "practices share", {"title": "Photo checklist", "text": "x" * 4001})
    assert (oversized.text, oversized.error_field) == ("The text is 4,001 characters; the limit is 4,000.", "text")
    assert program.refused("practices rate BP-0001", as_="brand1") == (
        "I did not expect 'rate' there. "
        'Filter with tag=, search= (quote several words: search="fake bags"), sort= and page=.'
    )


# --- meeting decisions ------------------------------------------------------------------------


def test_decisions_are_recorded_posted_and_kept_with_the_meeting(program: Harness) -> None:
    program.ok('calendar add meeting 2026-11-19 10:00 "Working-group call"')
    program.ok('calendar add orientation 2026-11-19 11:00 "Orientation"')
    program.ok(PROPOSE, as_="brand1")
    program.delivered()
    assert error_field(program, "propose decision 1 We will trial it.", as_="team1") == (
        "Working-group call is on 2026-11-19 10:00 EST: record its decisions once it has started. "
        "`calendar past` lists the meetings that have taken place.",
        "meeting",
    )
    program.clock.advance(days=1)  # 2026-11-19 15:00 in New York: both milestones have passed
    assert (
        program.ok("propose decisions", as_="brand1").text
        == "No decisions are recorded for Working-group call (2026-11-19) (#1)."
    )
    recorded = program.ok("propose decision 1 P-0001 Trial the repeat-seller flag on Taobao in December.", as_="team1")
    assert recorded.text == "Recorded decision 1 of Working-group call (2026-11-19) and posted it to the working group."
    program.ok("propose decision #1 Next meeting moves to Thursdays.", as_="team1")
    assert [p.text for p in program.delivered()] == [
        "Decided at Working-group call (2026-11-19): Trial the repeat-seller flag on Taobao in December.",
        "Decided at Working-group call (2026-11-19): Next meeting moves to Thursdays.",
    ]
    assert stored(program, "meeting_decision")[0][2] == [["Proposal", "P-0001 · Flag repeat sellers"]]
    listed = program.ok("propose decisions 1", as_="brand2")
    assert listed.text == "2 decisions at Working-group call (2026-11-19) (#1):"
    assert listed.lines == [
        "1. Trial the repeat-seller flag on Taobao in December. (P-0001: Flag repeat sellers) "
        "· recorded by console:team1",
        "2. Next meeting moves to Thursdays. · recorded by console:team1",
    ]
    assert program.ok("propose decisions", as_="brand2").lines == listed.lines
    assert program.ok("propose show P-0001").lines[-1] == (
        "Decided at Working-group call (2026-11-19): Trial the repeat-seller flag on Taobao in December."
    )
    with program.database.transaction() as session:
        assert [d.milestone_id for d in session.exec(select(MeetingDecision)).all()] == [1, 1]


def test_decisions_name_what_was_wrong_and_are_for_the_team(program: Harness) -> None:
    program.ok('calendar add meeting 2026-11-19 10:00 "Working-group call"')
    program.ok('calendar add orientation 2026-11-19 11:00 "Orientation"')
    program.delivered()
    program.clock.advance(days=1)
    assert program.refused("propose decision 1 We agreed.", as_="brand1").startswith(
        "Only the IACC/Alibaba team can record the working group's decisions."
    )
    assert error_field(program, "propose decision 2 We agreed.", as_="team1") == (
        "#2 Orientation is an orientation, not a working-group meeting. "
        "`calendar past` lists the meetings with their ids.",
        "meeting",
    )
    assert error_field(program, "propose decision 9 We agreed.", as_="team1")[1] == "meeting"
    assert error_field(program, "propose decision 1 P-0004 We agreed.", as_="team1") == (
        "There is no proposal P-0004. `propose list all` shows them with their references.",
        "ref",
    )
    assert error_field(program, "propose decision 1", as_="team1")[0].startswith("The decision is empty.")
    assert error_field(program, f"propose decision 1 {'d' * 2001}", as_="team1") == (
        "The decision is 2,001 characters; the limit is 2,000.",
        "text",
    )
    assert program.delivered() == []


def test_help_shows_both_usages(program: Harness) -> None:
    assert program.ok("help propose", as_="brand1").lines[0] == (
        'propose title="<title>" [tags=taobao,handbags] <text>'
    )
    assert program.ok("help practices share", as_="brand1").lines[0] == (
        'practices share title="<title>" [tags=aliexpress,watches] <text>'
    )


def test_help_propose_vote_shows_one_usage(program: Harness) -> None:
    reply = program.ok("help propose vote", as_="brand1")
    assert reply.text == "propose vote: vote for or against a proposal"
    assert reply.lines[0] == "propose vote <P-0001> up|down"
    assert not any(line.startswith("propose list") for line in reply.lines)
    listed = program.ok("help propose", as_="brand1").lines
    assert "propose vote: vote for or against a proposal" in listed


def test_deciding_is_refused_to_members_before_the_meeting_is_looked_up(program: Harness) -> None:
    assert program.refused("propose decision 999 We agreed.", as_="brand1") == (
        "Only the IACC/Alibaba team can record the working group's decisions. "
        "Ask a team member in your case thread if you need this done."
    )


def test_a_title_that_starts_like_no_sub_command_keeps_its_first_word(program: Harness) -> None:
    reply = program.ok("propose New sellers should be flagged -- Sellers removed twice should be named.", as_="brand1")
    assert reply.text == "Posted proposal P-0001 to the working group: New sellers should be flagged"


def test_every_practice_on_the_agenda_keeps_its_indentation_on_the_console(program: Harness) -> None:
    program.ok('calendar add meeting 2026-12-03 10:00 "December working group"')
    program.ok(SHARE, as_="brand1")
    program.ok(f'practices share title="Photo checklist" {TEXT}', as_="brand2")
    program.clock.advance(hours=1)
    shown = program.ok("propose agenda", as_="team1").render_plain().splitlines()
    practices = shown.index(
        "  Best practices shared in the last 30 days: BP-0001 · Relabelled watches · 0 (0 for, 0 against) · "
        "aliexpress, watches · from console:brand1 (ACME Corp)"
    )
    assert (
        shown[practices + 1]
        == "    BP-0002 · Photo checklist · 0 (0 for, 0 against) · from console:brand2 (Globex Ltd)"
    )
