"""`apply` and `applications`: eligibility, the deadline, first come first served per group, the
waitlist, the status update and onboarding.

The harness clock starts on 2026-11-18 at 20:00 UTC (15:00 in New York, the program's zone).
"""

from __future__ import annotations

import hashlib
from zoneinfo import ZoneInfo

from sqlmodel import col, select

import handlers.catalogue  # noqa: F401  (registers `apply` and `applications`)
from bot.router import Incoming
from handlers.kit.context import Attachment, Caller
from handlers.kit.outbox import save_notices
from handlers.kit.replies import Reply
from handlers.program.application_review import status_update_notices
from storage.models import AuditEntry, IPRight, Member, Organisation
from support.harness import Harness, Posted

NEW_YORK = ZoneInfo("America/New_York")
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
LETTER = (Attachment("letter.pdf", PDF),)
NOT_TEAM = (
    "Only the IACC/Alibaba team can review applications. Ask a team member in your case thread if you need this done."
)


def apply_line(
    name: str = "Widgetco Inc.",
    *,
    country: str = "US",
    size: str = "large",
    role: str = "rights_holder",
    good_faith: str = "no",
    marks: str = "WIDGETCO",
    extra: str = "",
) -> str:
    return (
        f'apply legal_name="{name}" country={country} size={size} contact="Jo Lee, jo@example.com" '
        f'role={role} good_faith={good_faith} marks="{marks}" {extra}'
    ).strip()


def submit_form(bot: Harness, as_: str, values: dict[str, str]) -> Reply:
    form = bot.ok("apply", as_=as_).form
    assert form is not None
    args = form.form.to_args(values)
    return bot.router.handle(Incoming(Caller("console", as_), form.form.command, args=args))


def texts(posted: list[Posted]) -> list[tuple[str, str]]:
    return [(p.channel, p.text) for p in posted]


def run_status_update(bot: Harness) -> None:
    with bot.database.transaction() as session:
        save_notices(session, status_update_notices(session, bot.clock.now, NEW_YORK), bot.clock.now)


def add_program_dates(bot: Harness) -> None:
    bot.ok('calendar add application_deadline 2027-01-15 23:59 "Applications close"')
    bot.ok('calendar add status_update 2027-01-18 17:00 "Status update"')
    bot.ok('calendar add orientation 2027-02-07 10:00 "Orientation"')
    bot.ok('calendar add launch 2027-02-15 09:00 "Launch"')
    bot.delivered()


# --- applying ---------------------------------------------------------------------------------


def test_apply_with_nothing_after_it_offers_the_form(program: Harness) -> None:
    reply = program.ok("apply", as_="newco")
    assert reply.text == "Fill in the application form, or write your answers after `apply`: `help apply` shows how."
    assert reply.form is not None and reply.form.form.command == "apply"
    assert [(f.name, f.kind, f.optional) for f in reply.form.form.fields] == [
        ("legal_name", "text", False),
        ("name_zh", "text", True),
        ("country", "text", False),
        ("size", "select", False),
        ("contact", "text", False),
        ("role", "select", False),
        ("represents", "text", True),
        ("good_faith", "select", False),
        ("marks", "text", False),
    ]
    choices = {name: [c.value for c in values] for name, values in reply.form.choices.items()}
    assert choices == {
        "size": ["small", "medium", "large"],
        "role": ["rights_holder", "representative", "other"],
        "good_faith": ["no", "yes"],
    }


def test_a_submitted_form_is_an_application(program: Harness) -> None:
    values = {
        "legal_name": "Widgetco Inc.", "name_zh": "威吉特", "country": "us", "size": "medium",
        "contact": "Jo Lee, jo@example.com", "role": "rights_holder", "represents": "", "good_faith": "no",
        "marks": "WIDGETCO, Widgetco Pro",
    }  # fmt: skip
    reply = submit_form(program, "newco", values)
    assert (
        reply.text
        == "Application #1 received: Widgetco Inc. is queued in North America, medium, number 1 in order of arrival."
    )
    shown = dict(program.ok("applications show 1", as_="team1").fields)
    assert (shown["Chinese name"], shown["country"], shown["marks"]) == (
        "威吉特",
        "US (North America)",
        "WIDGETCO, Widgetco Pro",
    )
    wrong = submit_form(program, "other", {**values, "country": "XX"})
    assert wrong.is_error and wrong.error_field == "country"


def test_an_eligible_rights_holder_is_queued_and_the_team_hears(program: Harness) -> None:
    reply = program.ok(apply_line(), as_="newco")
    assert (
        reply.text
        == "Application #1 received: Widgetco Inc. is queued in North America, large, number 1 in order of arrival."
    )
    assert reply.lines == [
        "Seats go to eligible applicants in order of arrival; you will hear by direct message when they are allocated.",
        "`apply status` shows where you stand; `apply withdraw` withdraws the application.",
    ]
    assert texts(program.delivered()) == [("team", "New application #1 from Widgetco Inc. (north-america:large)")]
    status = program.ok("apply status", as_="newco")
    assert status.text == "Application #1 (Widgetco Inc.) is queued in North America, large."
    assert status.lines[0] == "It is number 1 in its group in order of arrival."


def test_the_country_decides_the_region_and_the_size_the_group(program: Harness) -> None:
    for who, country, size in (
        ("cn", "CN", "small"), ("jp", "jp", "medium"), ("br", "BR", "large"), ("ae", "AE", "small"),
        ("uk", "UK", "small"), ("hk", "HK", "small"),
    ):  # fmt: skip
        program.ok(apply_line(f"Company {who}", country=country, size=size), as_=who)
    listing = program.ok("applications", as_="team1")
    assert listing.text == "6 applications in 5 groups:"
    assert [line for line in listing.lines if not line.startswith("  ")] == [
        "asia-pacific:medium (Asia-Pacific, medium) · no seats set",
        "europe:small (Europe, small) · no seats set",
        "greater-china:small (Greater China, small) · no seats set",
        "latin-america:large (Latin America, large) · no seats set",
        "middle-east-africa:small (Middle East & Africa, small) · no seats set",
    ]
    assert "  #6 Company hk · queued" in listing.lines
    assert dict(program.ok("applications show 5", as_="team1").fields)["country"] == "GB (Europe)"


def test_someone_who_is_not_a_rights_holder_or_representative_is_ineligible(program: Harness) -> None:
    reply = program.ok(apply_line("Resell Ltd", role="other"), as_="reseller")
    assert reply.text == (
        "Application #1 from Resell Ltd is not eligible: only rights-holders and representatives they appointed "
        "can join."
    )
    assert texts(program.delivered()) == [
        (
            "team",
            "New application #1 from Resell Ltd (north-america:large): ineligible, only rights-holders and "
            "representatives they appointed can join",
        )
    ]
    assert program.ok("applications", as_="team1").lines == [
        "north-america:large (North America, large) · no seats set",
        "  #1 Resell Ltd · ineligible · only rights-holders and representatives they appointed can join",
    ]
    assert program.ok("apply status", as_="reseller").lines == [
        "Reason: only rights-holders and representatives they appointed can join.",
        "If that changes, apply again with `apply`.",
    ]


def test_a_representative_without_a_letter_is_ineligible_and_may_apply_again_with_one(program: Harness) -> None:
    line = apply_line("Brand Agents LLC", role="representative", extra='represents="Widgetco Inc."')
    reply = program.ok(line, as_="agent")
    assert reply.text == (
        "Application #1 from Brand Agents LLC is not eligible: a representative must attach the rights-holder's "
        "letter of authorisation."
    )
    assert reply.lines[-1] == (
        "If this was a mistake in your answers, apply again with `apply` and attach the letter of authorisation."
    )
    again = program.ok(line, as_="agent", attachments=LETTER)
    assert again.text.startswith("Application #2 received: Brand Agents LLC is queued in North America, large")
    assert f"Letter of authorisation kept by its SHA-256: {hashlib.sha256(PDF).hexdigest()}." in again.lines
    shown = dict(program.ok("applications show 2", as_="team1").fields)
    assert shown["role"] == "representative for Widgetco Inc."
    assert shown["letter of authorisation"] == f"SHA-256 {hashlib.sha256(PDF).hexdigest()}"


def test_letters_in_png_and_jpeg_are_accepted(program: Harness) -> None:
    line = apply_line("Agents", role="representative", extra='represents="Widgetco"')
    png = (Attachment("letter.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),)
    jpeg = (Attachment("letter.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),)
    assert "received" in program.ok(line, as_="agent1", attachments=png).text
    assert "received" in program.ok(line, as_="agent2", attachments=jpeg).text


def test_bad_letters_are_refused_and_nothing_is_kept(program: Harness) -> None:
    line = apply_line("Brand Agents LLC", role="representative", extra='represents="Widgetco Inc."')
    cases = {
        "empty.pdf": (b"", "empty.pdf is empty. Attach the signed letter as a PDF, PNG or JPEG file."),
        "huge.pdf": (
            b"%PDF" + b"0" * (10 * 1024 * 1024),
            "huge.pdf is 10,485,764 bytes; a letter of authorisation may be at most 10 MB. "
            "Send it as a PDF, or scan it at a lower resolution.",
        ),
        "letter.pdf": (
            b"GIF89a not a letter",
            "letter.pdf is not a PDF, PNG or JPEG file. "
            "Send the signed letter of authorisation as a PDF, or as a PNG or JPEG scan.",
        ),
        "letter.docx": (b"PK\x03\x04", "letter.docx is not a PDF, PNG or JPEG file."),
    }
    for name, (content, message) in cases.items():
        reply = program.send(line, as_="agent", attachments=(Attachment(name, content),))
        assert reply.is_error and reply.error_field == "file", name
        assert reply.text.startswith(message), name
    two = program.send(line, as_="agent", attachments=LETTER + LETTER)
    assert (two.text, two.error_field) == ("Attach one letter of authorisation, not 2 files.", "file")
    assert program.ok("applications", as_="team1").text == "No applications yet."
    assert texts(program.delivered()) == []


def test_a_good_faith_program_participant_is_ineligible(program: Harness) -> None:
    reply = program.ok(apply_line("Bigbrand SA", country="FR", good_faith="yes"), as_="bigbrand")
    assert (
        reply.text
        == "Application #1 from Bigbrand SA is not eligible: Good Faith program participants cannot join MarketSafe."
    )
    assert program.ok("apply status", as_="bigbrand").text == "Application #1 (Bigbrand SA) is not eligible."


def test_a_rights_holders_attachment_is_not_kept(program: Harness) -> None:
    reply = program.ok(apply_line(), as_="newco", attachments=LETTER)
    assert reply.lines[-1] == "The attached file was not kept: only representatives send a letter of authorisation."
    assert dict(program.ok("applications show 1", as_="team1").fields)["letter of authorisation"] == "none"


def test_each_mistake_names_the_field_and_how_to_fix_it(program: Harness) -> None:
    cases = [
        (
            "apply country=US",
            'The application needs the company\'s legal name. Add legal_name="ACME Corp". '
            "`help apply` shows every answer.",
            "legal_name",
        ),
        (
            apply_line(country="USA"),
            "'USA' is not a two-letter country code. "
            "Use the ISO 3166 code of the company's country, e.g. US, GB, DE, JP or CN.",
            "country",
        ),
        (
            apply_line(country="ZZ"),
            "'ZZ' is not a country code I know. "
            "Use the ISO 3166 code of the company's country, e.g. US, GB, DE, JP or CN.",
            "country",
        ),
        (apply_line(size="huge"), "'huge' is not a company size. Use one of: small, medium, large.", "size"),
        (
            apply_line(role="owner"),
            "'owner' is not a role I know. Use rights_holder (the company owns the marks), "
            "representative (appointed by the rights-holder) or other.",
            "role",
        ),
        (
            apply_line(role="representative"),
            "A representative names the rights-holder it acts for. "
            'Add represents="<rights-holder>" and attach its letter of authorisation.',
            "represents",
        ),
        (
            apply_line(extra='represents="Someone"'),
            "represents= is only for representatives. "
            "Leave it out, or choose role=representative if you act for the rights-holder.",
            "represents",
        ),
        (
            apply_line(good_faith="maybe"),
            "'maybe' is not yes or no. Write good_faith=yes or good_faith=no.",
            "good_faith",
        ),
        (
            apply_line(marks=" , "),
            "The application needs at least one mark. "
            'List the marks the company owns, separated by commas, e.g. marks="ACME,ACME Pro".',
            "marks",
        ),
        (
            apply_line(marks=",".join(f"M{n}" for n in range(21))),
            "That is 21 marks; an application lists at most 20. "
            "List the marks you will file complaints under; the team can add more later.",
            "marks",
        ),
        (apply_line(name="x" * 201), "legal_name= is 201 characters; the limit is 200.", "legal_name"),
        (
            apply_line(marks="W" * 201),
            f"The mark '{'W' * 40}...' is 201 characters; the limit is 200.",
            "marks",
        ),
        (
            apply_line(marks=",".join(letter * 99 for letter in "ABCDEFGHIJ")),
            "The marks come to more than 1000 characters. List fewer marks.",
            "marks",
        ),
        (
            apply_line().replace(' contact="Jo Lee, jo@example.com"', ""),
            'The application needs a contact. Add contact="Jo Lee, jo@acme.example". `help apply` shows every answer.',
            "contact",
        ),
    ]
    for command, message, field in cases:
        reply = program.send(command, as_="newco")
        assert reply.is_error, command
        assert (reply.text, reply.error_field) == (message, field), command
    assert program.refused(apply_line(extra="colour=red"), as_="newco").startswith("Unknown option colour=.")
    assert program.refused("apply legal_name=Widgetco Inc. country=US", as_="newco") == (
        "I did not expect 'Inc.' there. Write each answer as name=value, with quotes around values with spaces, "
        'e.g. legal_name="ACME Corp".'
    )
    assert (
        program.refused("apply status now", as_="newco") == "I did not expect 'now' there. Write just `apply status`."
    )
    assert program.ok("applications", as_="team1").text == "No applications yet."


def test_one_application_per_person(program: Harness) -> None:
    program.ok(apply_line(), as_="newco")
    refusal = (
        "You already applied: application #1 (Widgetco Inc.) is queued. One application per person: "
        "`apply status` shows it, `apply withdraw` withdraws it."
    )
    assert program.refused(apply_line("Other Name Ltd", country="DE"), as_="newco") == refusal
    assert program.refused("apply", as_="newco") == refusal
    assert program.ok(apply_line("Other Name Ltd"), as_="someone-else").text.startswith("Application #2 received")
    assert program.ok("apply withdraw", as_="newco").text == "Application #1 (Widgetco Inc.) was withdrawn."
    assert program.ok(apply_line(), as_="newco").text.startswith("Application #3 received")


def test_people_in_the_program_do_not_apply(program: Harness) -> None:
    assert program.refused(apply_line(), as_="brand1") == (
        "You are already in the program (member in acme); applications are for companies joining it. "
        "`help` lists what you can do."
    )
    assert program.refused("apply status", as_="stranger") == (
        "You have not applied to the program. Apply with `apply`: it shows the form."
    )


def test_applications_close_at_the_deadline(program: Harness) -> None:
    program.ok('calendar add application_deadline 2026-11-20 17:00 "Applications close"')
    assert program.ok(apply_line(), as_="early").text.startswith("Application #1 received")
    program.clock.advance(days=2, hours=2)  # 2026-11-20 17:00 EST
    closed = "Applications closed on 2026-11-20 17:00 EST. `calendar` shows the program's dates."
    assert program.refused(apply_line(), as_="late") == closed
    assert program.refused("apply", as_="late") == closed
    assert (
        program.ok("apply status", as_="early").text
        == "Application #1 (Widgetco Inc.) is queued in North America, large."
    )
    program.ok('calendar add application_deadline 2026-12-20 17:00 "Extended deadline"')
    assert program.ok(apply_line(), as_="late").text.startswith("Application #2 received")


# --- selection --------------------------------------------------------------------------------


def _round(program: Harness) -> None:
    """Four in North America, large (one ineligible), one in Europe, small, one in Greater China, medium."""
    program.ok(apply_line("Alpha Inc"), as_="alpha")
    program.ok(apply_line("Bravo Inc"), as_="bravo")
    program.ok(apply_line("Gfp Inc", good_faith="yes"), as_="gfp")
    program.ok(apply_line("Delta GmbH", country="DE", size="small"), as_="delta")
    program.ok(apply_line("Charlie Inc"), as_="charlie")
    program.ok(apply_line("Echo Ltd", country="CN", size="medium"), as_="echo")
    program.ok(apply_line("Foxtrot Inc"), as_="foxtrot")
    program.ok("applications seats north-america:large 2", as_="team1")
    program.ok('applications seats "Europe:small" 1', as_="team1")
    program.delivered()


def test_seats_go_first_come_first_served_in_each_group(program: Harness) -> None:
    _round(program)
    reply = program.ok("applications select", as_="team1")
    assert reply.text == "Selected 3 and waitlisted 3 in 3 groups."
    assert reply.lines == [
        "europe:small: 1 seat · selected #4",
        "greater-china:medium: no seats set · waitlisted #6",
        "north-america:large: 2 seats · selected #1, #2 · waitlisted #5, #7",
        "Groups with no seats set have none: `applications seats <group> <n>`, then select again.",
        "Applicants hear at the status update (not on the calendar yet).",
    ]
    assert texts(program.delivered()) == [("team", "Seats allocated: 3 selected, 3 waitlisted")]
    listing = program.ok("applications", as_="team1").lines
    assert listing[listing.index("north-america:large (North America, large) · 2 seats") :] == [
        "north-america:large (North America, large) · 2 seats",
        "  #1 Alpha Inc · selected",
        "  #2 Bravo Inc · selected",
        "  #3 Gfp Inc · ineligible · Good Faith program participants cannot join MarketSafe",
        "  #5 Charlie Inc · waitlisted",
        "  #7 Foxtrot Inc · waitlisted",
    ]
    waiting = program.ok("apply status", as_="foxtrot")
    assert waiting.text == "Application #7 (Foxtrot Inc) is on the waitlist for North America, large."
    assert waiting.lines[0] == "It is number 2 on the waitlist."
    program.ok("applications seats greater-china:medium 1", as_="team1")
    again = program.ok("applications select", as_="team1")
    assert again.text == "Selected 1 and waitlisted 2 in 2 groups."
    assert again.lines[:2] == [
        "greater-china:medium: 1 seat · selected #6",
        "north-america:large: 2 seats · waitlisted #5, #7",
    ]


def test_a_withdrawal_gives_the_seat_to_the_first_on_the_waitlist(program: Harness) -> None:
    add_program_dates(program)
    _round(program)
    program.ok("applications select", as_="team1")
    program.delivered()
    reply = program.ok("apply withdraw", as_="alpha")
    assert reply.text == "Application #1 (Alpha Inc) was withdrawn."
    assert reply.lines == [
        "Your seat goes to the first applicant on the waitlist.",
        "You may apply again while applications are open.",
    ]
    assert texts(program.delivered()) == [
        (
            "dm:console:charlie",
            "Good news from MarketSafe: a seat opened in North America, large. Application #5 (Charlie Inc) is "
            "selected in North America, large. Orientation: 2027-02-07 10:00 EST; launch: 2027-02-15 09:00 EST. "
            "Accept your seat with `apply accept`: your organisation is set up at once, and you can file complaints "
            "once a program admin has verified your marks. `apply decline` gives the seat to the next on the "
            "waitlist.",
        ),
        (
            "team",
            "Application #1 from Alpha Inc (north-america:large) was withdrawn; #5 Charlie Inc is selected from the "
            "waitlist",
        ),
    ]
    assert program.ok("apply status", as_="foxtrot").lines[0] == "It is number 1 on the waitlist."
    declined = program.ok("apply decline", as_="bravo")
    assert declined.text == "Application #2 (Bravo Inc) declined its seat."
    assert [p.channel for p in program.delivered()] == ["dm:console:foxtrot", "team"]
    assert program.ok("apply status", as_="foxtrot").text == (
        "Application #7 (Foxtrot Inc) is selected in North America, large."
    )
    assert program.ok("apply status", as_="bravo").lines[0] == "It was withdrawn when the applicant declined the seat."


def test_a_waitlisted_withdrawal_promotes_nobody(program: Harness) -> None:
    _round(program)
    program.ok("applications select", as_="team1")
    program.delivered()
    program.ok("apply withdraw", as_="charlie")
    assert texts(program.delivered()) == [
        ("team", "Application #5 from Charlie Inc (north-america:large) was withdrawn")
    ]
    assert program.ok("apply status", as_="foxtrot").lines[0] == "It is number 1 on the waitlist."


def test_only_a_selected_applicant_accepts_or_declines(program: Harness) -> None:
    _round(program)
    assert program.refused("apply accept", as_="alpha") == (
        "Only a selected applicant can accept a seat; application #1 is queued. `apply status` says what happens next."
    )
    assert program.refused("apply decline", as_="alpha") == (
        "Only a selected applicant can decline a seat; application #1 is queued. `apply withdraw` withdraws an "
        "application."
    )
    assert program.refused("apply accept", as_="gfp").startswith("Only a selected applicant can accept a seat")
    assert program.refused("apply withdraw", as_="gfp") == "Application #3 is ineligible: there is nothing to withdraw."
    assert program.refused("apply accept", as_="nobody") == (
        "You have not applied to the program. Apply with `apply`: it shows the form."
    )


# --- the status update ------------------------------------------------------------------------


def test_the_status_update_tells_every_applicant_once(program: Harness) -> None:
    add_program_dates(program)
    _round(program)
    program.ok("applications select", as_="team1")
    program.ok(apply_line("Golf Inc"), as_="golf")  # arrives after the selection: still queued
    program.delivered()
    run_status_update(program)
    told = dict(texts(program.delivered()))
    assert set(told) == {
        f"dm:console:{who}" for who in ("alpha", "bravo", "gfp", "delta", "charlie", "echo", "foxtrot", "golf")
    }
    assert told["dm:console:alpha"] == (
        "MarketSafe: Application #1 (Alpha Inc) is selected in North America, large. Orientation: 2027-02-07 10:00 "
        "EST; launch: 2027-02-15 09:00 EST. Accept your seat with `apply accept`: your organisation is set up at once, "
        "and you can file complaints once a program admin has verified your marks. `apply decline` gives the seat to "
        "the next on the waitlist."
    )
    assert told["dm:console:foxtrot"] == (
        "MarketSafe: Application #7 (Foxtrot Inc) is on the waitlist for North America, large. It is number 2 on the "
        "waitlist. If a selected applicant withdraws or declines, the first on the waitlist is selected and told at "
        "once."
    )
    assert told["dm:console:gfp"] == (
        "MarketSafe: Application #3 (Gfp Inc) is not eligible. Reason: Good Faith program participants cannot join "
        "MarketSafe. If that changes, apply again with `apply`."
    )
    assert told["dm:console:golf"] == (
        "MarketSafe: Application #8 (Golf Inc) is queued in North America, large. It is number 5 in its group in order "
        "of arrival. Seats go to eligible applicants in order of arrival; you will hear by direct message at the "
        "status update, 2027-01-18 17:00 EST."
    )
    assert (
        dict(program.ok("applications show 1", as_="team1").fields)
        and program.ok("applications show 1", as_="team1").text == "Application #1: Alpha Inc · notified"
    )
    run_status_update(program)
    assert program.delivered() == []
    assert (
        program.ok("apply status", as_="alpha").text
        == "Application #1 (Alpha Inc) is selected in North America, large."
    )


def test_a_selection_after_the_status_update_tells_applicants_at_once(program: Harness) -> None:
    add_program_dates(program)
    _round(program)
    program.clock.advance(days=62)  # past the status update of 2027-01-18
    reply = program.ok("applications select", as_="team1")
    assert reply.lines[-1] == "The status update has passed, so the applicants concerned were told at once."
    channels = [p.channel for p in program.delivered()]
    assert channels.count("dm:console:alpha") == 1 and "dm:console:gfp" not in channels
    assert program.ok("applications show 1", as_="team1").text == "Application #1: Alpha Inc · notified"


# --- onboarding -------------------------------------------------------------------------------


def test_an_accepted_seat_makes_an_organisation_whose_marks_await_an_admins_verification(program: Harness) -> None:
    _round(program)
    program.ok("applications select", as_="team1")
    program.delivered()
    reply = program.ok("apply accept", as_="alpha")
    assert reply.text == "Welcome to MarketSafe: Alpha Inc is organisation alpha-inc, and you are its member."
    assert reply.lines == [
        "right #3: trademark WIDGETCO (CN, registration pending), awaiting verification",
        "A program admin verifies each right before complaints may rely on it: you can file complaints with "
        "`complaint <links>` once an admin has verified right #3.",
    ]
    assert texts(program.delivered()) == [
        (
            "team",
            "Application #1 accepted: Alpha Inc joined as alpha-inc with 1 mark awaiting verification: "
            "`admin right verify 3`",
        )
    ]
    assert program.refused("complaint https://item.taobao.com/item.htm?id=1", as_="alpha") == (
        "Your organisation has no verified, unexpired IP right to file under. "
        "Ask an admin to add and verify one: `admin right add ...`."
    )
    assert program.ok("apply status", as_="alpha").lines == [
        "You are in the program as organisation alpha-inc. Its rights await a program admin's verification; "
        "then file complaints with `complaint <links>`."
    ]
    with program.database.transaction() as session:
        organisation = session.exec(select(Organisation).where(Organisation.slug == "alpha-inc")).one()
        assert (organisation.name, organisation.country, organisation.region, organisation.size_band) == (
            "Alpha Inc",
            "US",
            "North America",
            "large",
        )
        assert not organisation.good_faith and organisation.represents is None
        right = session.exec(select(IPRight).where(IPRight.organisation_id == organisation.id)).one()
        assert (right.status, right.verified_by, right.verified_at, right.jurisdiction) == ("pending", None, None, "CN")
    assert program.ok("admin right verify 3").text == "IP right #3 (WIDGETCO) is now verified."
    filed = program.ok("complaint https://item.taobao.com/item.htm?id=1", as_="alpha")
    assert filed.text.startswith("Registered 1 item in MS-000001")
    assert program.ok("apply status", as_="alpha").lines == [
        "You are in the program as organisation alpha-inc; file complaints with `complaint <links>`."
    ]
    assert program.refused("apply withdraw", as_="alpha") == (
        "Application #1 is complete: Alpha Inc is in the program. To leave the program, ask a program admin."
    )
    assert program.refused("apply accept", as_="alpha").startswith("Only a selected applicant can accept a seat")


def test_a_representative_is_onboarded_as_a_representative_with_every_mark(program: Harness) -> None:
    program.ok('admin org add brand-agents "Brand Agents (an earlier member)"')
    marks = "WIDGETCO, Widgetco Pro, widgetco"
    extra = 'represents="Widgetco Inc." name_zh="品牌代理"'
    line = apply_line("Brand Agents", role="representative", marks=marks, extra=extra)
    program.ok(line, as_="agent", attachments=LETTER)
    program.ok("applications seats north-america:large 1", as_="team1")
    program.ok("applications select", as_="team1")
    reply = program.ok("apply accept", as_="agent")
    assert (
        reply.text
        == "Welcome to MarketSafe: Brand Agents is organisation brand-agents-2, and you are its representative."
    )
    assert reply.lines == [
        "right #3: trademark WIDGETCO (CN, registration pending), awaiting verification",
        "right #4: trademark Widgetco Pro (CN, registration pending-2), awaiting verification",
        "A program admin verifies each right before complaints may rely on it: you can file complaints with "
        "`complaint <links> right=<id>` once an admin has verified rights #3 and #4.",
    ]
    assert program.refused("complaint right=4 https://item.taobao.com/item.htm?id=7", as_="agent") == (
        "IP right #4 is still pending verification. Usable: none yet."
    )
    program.ok("admin right verify 3")
    program.ok("admin right verify 4")
    assert program.refused("complaint https://item.taobao.com/item.htm?id=7", as_="agent").startswith(
        "Your organisation has several IP rights: choose one with right=<id>."
    )
    assert program.ok("complaint right=4 https://item.taobao.com/item.htm?id=7", as_="agent").text.startswith(
        "Registered 1 item"
    )
    with program.database.transaction() as session:
        organisation = session.exec(select(Organisation).where(Organisation.slug == "brand-agents-2")).one()
        assert (organisation.represents, organisation.name_zh) == ("Widgetco Inc.", "品牌代理")
        assert organisation.authorisation_sha256 == hashlib.sha256(PDF).hexdigest()
        member = session.exec(select(Member).where(Member.user_id == "agent")).one()
        assert (member.role, member.organisation_id) == ("representative", organisation.id)


# --- the team's side --------------------------------------------------------------------------


def test_only_the_team_reviews_applications(program: Harness) -> None:
    program.ok(apply_line(), as_="newco")
    for command in ("applications", "applications show 1", "applications seats europe:small 3", "applications select"):
        assert program.refused(command, as_="brand1") == NOT_TEAM
        assert program.refused(command, as_="newco") == NOT_TEAM
    assert program.ok("applications", as_="team1").text == "1 application in 1 group:"
    assert program.ok("applications", as_="operator").text == "1 application in 1 group:"


def test_seats_are_set_per_group_and_checked(program: Harness) -> None:
    assert program.ok("applications seats north-america:large 3", as_="team1").text == (
        "north-america:large (North America, large) now has 3 seats."
    )
    assert program.ok('applications seats "North America:LARGE" 0', as_="team1").text == (
        "north-america:large (North America, large) now has 0 seats (it had 3)."
    )
    bad_group = program.send("applications seats mars:large 3", as_="team1")
    assert (bad_group.text, bad_group.error_field) == (
        "'mars:large' is not an application group. Write <region>:<size>, e.g. north-america:large; regions: "
        "north-america, europe, greater-china, asia-pacific, latin-america, middle-east-africa; sizes: small, "
        "medium, large.",
        "group",
    )
    for count in ("-1", "many", "10001"):
        reply = program.send(f"applications seats europe:small {count}", as_="team1")
        assert (reply.text, reply.error_field) == (
            f"'{count}' is not a number of seats. Use a number from 0 to 10000.",
            "seats",
        )
    assert program.refused("applications seats europe:small", as_="team1") == (
        "Missing number of seats. `help applications seats` shows the usage."
    )
    assert program.refused("applications show 99", as_="team1") == (
        "There is no application '99'. `applications` lists them with their ids."
    )
    assert program.refused("applications pick", as_="team1") == (
        "I did not expect 'pick' there. `help applications` shows the usage."
    )
    assert program.ok("applications select", as_="team1").text == "No queued or waitlisted applications to allocate."
    assert program.ok("applications", as_="team1").lines == ["north-america:large (North America, large) · 0 seats"]


def test_every_change_is_in_the_audit_log(program: Harness) -> None:
    program.ok(apply_line(), as_="newco")
    program.ok("applications seats north-america:large 1", as_="team1")
    program.ok("applications select", as_="team1")
    program.ok("apply accept", as_="newco")
    with program.database.transaction() as session:
        entries = session.exec(
            select(AuditEntry).where(col(AuditEntry.entity).in_(("application", "application_group")))
            .order_by(col(AuditEntry.id))
        ).all()  # fmt: skip
        seen = [(e.actor, e.entity, e.action, e.from_status, e.to_status, e.note) for e in entries]
    assert seen == [
        ("console:newco", "application", "submitted", "submitted", "queued", "north-america:large"),
        ("console:team1", "application_group", "seats", None, "1", "north-america:large"),
        ("console:team1", "application", "status", "queued", "selected", None),
        ("console:newco", "application", "status", "selected", "onboarded", "widgetco-inc"),
    ]


def test_help_shows_the_usage(program: Harness) -> None:
    usage = program.ok("help apply submit", as_="stranger").lines
    assert usage[0].startswith('apply submit legal_name="<company>" country=<ISO code>')
    listed = program.ok("help apply", as_="stranger").lines
    assert [line.split(":")[0] for line in listed[:-1]] == [
        "apply submit", "apply status", "apply withdraw", "apply accept", "apply decline",
    ]  # fmt: skip
    assert [program.ok(f"help {word}", as_="team1").lines[0] for word in (
        "applications list", "applications show", "applications seats", "applications select",
    )] == [
        "applications list",
        "applications show <id>",
        "applications seats <group> <n>",
        "applications select",
    ]  # fmt: skip
