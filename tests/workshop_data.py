"""A small, realistic PMQA 4.0 workshop written straight into the store, for the export tests.

Twelve people of a (fictional) department sit in the room: 2 executives, 4 division directors,
5 officers and 1 observer from the OPDC who does not vote. They assess four items:
- 1.1 (leadership system): one round, 9 Basic and 2 Advance -> consensus; decided 1 -> 2,
  importance 4.
- 1.2 (transparency): a split first round (3 x level 0, 3 x Basic, 2 x Advance, 2 x
  Significance, 1 not sure), a re-vote that agrees (1 x level 0, 8 x Basic, 2 x Advance);
  decided 1 -> 3, importance 5.
- 2.1 (strategic planning): one round, 8 x Advance, 1 Basic, 1 Significance, 1 not sure;
  decided 2 -> 3 importance 3, then re-decided 2 -> 2, and that second decision undone: the
  first one is in force again.
- 4.4 (digitalization): one closed round; decided 0 -> 2, then undone: still open.
Ideas: three on 1.1, four on 1.2 (one hidden by the facilitator), one on 2.1, with upvotes.

Everything goes through the store models and the store's own helpers, not the live services.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import update

from workshop import catalog
from workshop.store.db import Store
from workshop.store.decisions import record_decision, undo_last_decision
from workshop.store.ideas import upvote_idea
from workshop.store.keys import hash_token, new_token
from workshop.store.models import Idea, Participant, PlanItem, Round, Vote, WorkshopSession
from workshop.store.votes import explain_vote, upsert_vote

TITLE = "ประเมินตนเองตามเกณฑ์ PMQA 4.0 ปีงบประมาณ 2569"
ORGANIZATION = "กรมส่งเสริมการเรียนรู้ (ตัวอย่าง)"
ROLES = ["ผู้บริหาร", "ผู้อำนวยการกอง", "เจ้าหน้าที่"]
PEOPLE = [  # name, role
    ("สมชาย ใจดี", "ผู้บริหาร"), ("วิภา รัตนากร", "ผู้บริหาร"),
    ("ประเสริฐ ทองคำ", "ผู้อำนวยการกอง"), ("มาลี ศรีสุข", "ผู้อำนวยการกอง"),
    ("อนันต์ วงศ์ใหญ่", "ผู้อำนวยการกอง"), ("จันทร์เพ็ญ แก้วมณี", "ผู้อำนวยการกอง"),
    ("ธนากร บุญมา", "เจ้าหน้าที่"), ("สุดา พรหมมา", "เจ้าหน้าที่"),
    ("กิตติ ชัยวัฒน์", "เจ้าหน้าที่"), ("นภา อินทร์แก้ว", "เจ้าหน้าที่"),
    ("ปิยะ สายทอง", "เจ้าหน้าที่"), ("ผู้สังเกตการณ์ ก.พ.ร.", None),
]
OBSERVER = 11  # index in PEOPLE
START = datetime(2026, 5, 9, 2, 0, tzinfo=timezone.utc)  # 09:00 in Bangkok

# Votes of the 11 voters in PEOPLE order; None is "not sure".
VOTES = {
    ("1.1", 1): [1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1],
    ("1.2", 1): [0, 1, 3, 0, 2, None, 1, 0, 3, 2, 1],
    ("1.2", 2): [1, 1, 1, 0, 2, 1, 1, 1, 2, 1, 1],
    ("2.1", 1): [2, 2, 3, 2, 2, 2, 1, 2, None, 2, 2],
    ("4.4", 1): [0, 1, 0, 0, None, 1, 0, 0, 1, 0, None],
}
IDEAS = [  # criterion, author index, text, upvoter indexes, hidden
    ("1.1", 6, "ผู้บริหารสื่อสารวิสัยทัศน์ทุกไตรมาส", [0, 1, 2, 3, 7], False),
    ("1.1", 7, "จัดทำแผนผังระบบการนำองค์การ", [4, 5, 8], False),
    ("1.1", 2, "ทบทวนค่านิยมร่วมกับบุคลากร", [9], False),
    ("1.2", 3, "เปิดเผยข้อมูลการจัดซื้อจัดจ้างบนเว็บไซต์", [0, 1, 2, 5, 6, 8], False),
    ("1.2", 8, "ข้อความทดสอบที่ไม่เกี่ยวข้อง", [10, 9], True),
    ("1.2", 9, "อบรมจริยธรรมให้บุคลากรใหม่", [3, 4], False),
    ("1.2", 10, "ช่องทางแจ้งเบาะแสแบบไม่ระบุตัวตน", [7, 0, 2], False),
    ("2.1", 4, "เชื่อมโยงแผนกับยุทธศาสตร์ชาติ", [1], False),
]


@dataclass
class WorkshopFacts:
    """What the tests check the exports against."""

    session_id: str
    join_code: str
    named: bool
    votes: int = sum(len(v) for v in VOTES.values())
    participants: int = len(PEOPLE)
    rounds: list[tuple[str, int]] = field(default_factory=lambda: list(VOTES))


def _at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def make_workshop(store: Store, *, named: bool = True, language: str = "th") -> WorkshopFacts:
    """Write the whole workshop into the store; return its id and the expected facts."""
    framework = catalog.get_framework("pmqa-4.0")
    with store.session() as db:
        session = WorkshopSession(
            title=TITLE, organization=ORGANIZATION, held_on=date(2026, 5, 9), language=language,
            framework=framework.to_dict(), framework_id=framework.id,
            agenda=["1.1", "1.2", "2.1", "4.4"], link_nonce=new_token()[:16], status="ended",
            current_criterion="4.4", created_at=_at(-60), updated_at=_at(180),
            settings={"anonymous": not named, "roles": ROLES, "results_mode": "hidden",
                      "thresholds": {"max_iqr": 1.0, "min_adjacent_share": 0.75}},
        )
        db.add(session)
        db.flush()
        people = [Participant(session_id=session.id, token_hash=hash_token(new_token()),
                              name=name, role=role, observer=index == OBSERVER,
                              joined_at=_at(index), last_seen_at=_at(170))
                  for index, (name, role) in enumerate(PEOPLE)]
        db.add_all(people)
        db.flush()
        rounds = _vote(db, session, people)
        _decide(db, session, rounds)
        _ideas(db, session, people)
        db.add(PlanItem(session_id=session.id, criterion_code="1.2", position=1,
                        actions=[{"text": "เผยแพร่ข้อมูลจัดซื้อจัดจ้างทุกเดือน"}],
                        owner="กลุ่มงานคุ้มครองจริยธรรม", start_quarter="Q1/2570",
                        end_quarter="Q2/2570", indicator="ร้อยละของโครงการที่เปิดเผยข้อมูล",
                        target_value="100%", budget_note="ใช้งบประมาณปกติ", status="planned",
                        ofi="ยังไม่เปิดเผยข้อมูลการจัดซื้อจัดจ้างครบทุกโครงการ",
                        objective="ให้ประชาชนตรวจสอบการใช้งบประมาณได้",
                        project="โครงการเปิดเผยข้อมูลจัดซื้อจัดจ้าง", owner_person="นางมาลี ศรีสุข",
                        budget_amount=150000, budget_source="งบดำเนินงาน",
                        evidence="รายงานการเผยแพร่ข้อมูลรายเดือน", year_targets={"2571": 2},
                        updated_at=_at(175)))
        return WorkshopFacts(session.id, session.join_code, named)


def _vote(db, session, people) -> dict[tuple[str, int], Round]:
    rounds = {}
    for minute, ((code, number), levels) in enumerate(VOTES.items()):
        opened = _at(20 + 30 * minute)
        revealed = code != "4.4"
        round_ = Round(session_id=session.id, criterion_code=code, number=number,
                       state="revealed" if revealed else "closed", opened_at=opened,
                       closed_at=opened + timedelta(minutes=5),
                       revealed_at=opened + timedelta(minutes=6) if revealed else None)
        db.add(round_)
        db.flush()
        for voter, level in zip(people, levels):
            upsert_vote(db, round_id=round_.id, participant_id=voter.id, level=level,
                        not_sure=level is None,
                        note="มีคำสั่งแต่งตั้งคณะทำงาน" if level == 3 else None)
        # votes land during the round's first minutes (upsert_vote stamps the clock's time)
        db.execute(update(Vote).where(Vote.round_id == round_.id)
                   .values(created_at=opened + timedelta(minutes=2),
                           updated_at=opened + timedelta(minutes=2)))
        rounds[(code, number)] = round_
    first_split = rounds[("1.2", 1)]
    explain_vote(db, round_id=first_split.id, participant_id=people[2].id,
                 reason="มีระบบรายงานผลต่อสาธารณะแล้ว")
    session.explain_round_id = first_split.id  # the Delphi "explain" step ran on that round
    session.updated_at = _at(180)
    # proxy vote: the director 3 voted on behalf of an absent colleague in the re-vote
    upsert_vote(db, round_id=rounds[("1.2", 2)].id, participant_id=people[3].id, level=0,
                not_sure=False, on_behalf=True)
    return rounds


def _decide(db, session, rounds) -> None:
    sid = session.id
    record_decision(db, session_id=sid, criterion_code="1.1", agreed_level=1, target_level=2,
                    importance=4, decided_by="facilitator", round_id=rounds[("1.1", 1)].id,
                    decided_at=_at(50))
    record_decision(db, session_id=sid, criterion_code="1.2", agreed_level=1, target_level=3,
                    importance=5, decided_by="facilitator", round_id=rounds[("1.2", 2)].id,
                    note="ต้องเร่งเปิดเผยข้อมูล", decided_at=_at(110))
    record_decision(db, session_id=sid, criterion_code="2.1", agreed_level=2, target_level=3,
                    importance=3, round_id=rounds[("2.1", 1)].id, decided_at=_at(140))
    record_decision(db, session_id=sid, criterion_code="2.1", agreed_level=2, target_level=2,
                    importance=3, round_id=rounds[("2.1", 1)].id, decided_at=_at(141))
    undo_last_decision(db, sid)  # 2.1 goes back to target 3
    record_decision(db, session_id=sid, criterion_code="4.4", agreed_level=0, target_level=2,
                    importance=4, round_id=rounds[("4.4", 1)].id, decided_at=_at(165))
    undo_last_decision(db, sid)  # 4.4 is open again


def _ideas(db, session, people) -> None:
    for minute, (code, author, text, upvoters, hidden) in enumerate(IDEAS):
        idea = Idea(session_id=session.id, criterion_code=code, text=text,
                    participant_id=people[author].id, hidden=hidden, created_at=_at(30 + minute),
                    client_key=f"idea-{minute}")
        db.add(idea)
        db.flush()
        for voter in upvoters:
            upvote_idea(db, idea_id=idea.id, participant_id=people[voter].id)
