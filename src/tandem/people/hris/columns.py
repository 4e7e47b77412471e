"""Matching a file's headers to Tandem's fields: which column most likely holds what."""

from __future__ import annotations

from collections.abc import Sequence

from tandem.people.records import ALL_FIELDS


def _spellings(words: str) -> tuple[str, ...]:
    return tuple(words.split())


FIRST_NAME_SPELLINGS = _spellings("firstname givenname forename preferredfirstname")
LAST_NAME_SPELLINGS = _spellings("lastname surname familyname")
# A full name joined from split names by read_table: "First name + Last name".
JOINED_NAME_SPELLINGS = tuple(
    first + last for first in FIRST_NAME_SPELLINGS for last in LAST_NAME_SPELLINGS
)

# Header spellings seen in HRIS exports, compared without case, spaces or punctuation ("#" is
# read as "number"). Earlier spellings win over later ones when a file has several.
HEADER_SPELLINGS: dict[str, tuple[str, ...]] = {
    "employee_id": _spellings(
        "employeeid employeenumber employeeno empid empnumber empno "
        "employeecode workerid workernumber staffid staffnumber personid "
        "personnelnumber personnelno eeid associateid badgenumber id"
    ),
    "name": _spellings(
        "name fullname employeename employeefullname displayname workername "
        "personname legalname preferredfullname staffname"
    )
    + JOINED_NAME_SPELLINGS,
    "email": _spellings(
        "email emailaddress workemail workemailaddress businessemail "
        "companyemail officeemail primaryemail emailwork mail"
    ),
    "manager_id": _spellings(
        "managerid manageremployeeid managernumber manageremployeenumber "
        "managerempid managerworkerid supervisorid supervisoremployeeid "
        "supervisornumber linemanagerid directmanagerid reportstoid "
        "reportstoemployeeid reportsto manager supervisor linemanager"
    ),
    "title": _spellings(
        "title jobtitle businesstitle positiontitle position jobname role jobrole designation"
    ),
    "department": _spellings(
        "department departmentname dept deptname division businessunit orgunit team function"
    ),
    "location": _spellings(
        "location office officelocation worklocation locationname site workplace city country"
    ),
    "start_date": _spellings(
        "startdate hiredate dateofhire datehired employmentstartdate "
        "originalhiredate joiningdate joindate datejoined dateofjoining start"
    ),
    "track": _spellings("track careertrack careerpath jobtrack ladder"),
    "level": _spellings("level joblevel careerlevel grade jobgrade band payband"),
}


def header_key(header: str) -> str:
    """A header reduced for matching: "Employee #" and "employee_number" both give the same."""
    folded = header.casefold().replace("#", "number")
    return "".join(ch for ch in folded if ch.isalnum())


def guess_mapping(headers: Sequence[str]) -> dict[str, str | None]:
    """Which header most likely holds each Tandem field, or None. Each header is used once.

    A field's earlier spellings win, and among equally good headers the leftmost one does.
    """
    keys = [header_key(h) for h in headers]
    candidates = sorted(
        (rank, position, field_name)
        for field_name, spellings in HEADER_SPELLINGS.items()
        for position, key in enumerate(keys)
        if key in spellings
        for rank in [spellings.index(key)]
    )
    mapping: dict[str, str | None] = dict.fromkeys(ALL_FIELDS)
    used: set[int] = set()
    for _, position, field_name in candidates:
        if mapping[field_name] is None and position not in used:
            mapping[field_name] = headers[position]
            used.add(position)
    return mapping
