"""A SCIM filter (RFC 7644 §3.4.2.2) as a database query over the organisation's people.

scim2-models parses the filter; each attribute Tandem keeps maps to a column here, so a
filter runs in the database (an identity provider's ``userName eq "..."`` is one indexed
lookup, not a scan in Python). Text compares without case, as the User schema declares
(``externalId`` is the one case-exact attribute).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from scim2_models import InvalidFilterException, SCIMException, ScimFilter
from scim2_models.path import (
    AttrPath,
    Comparison,
    FilterNode,
    LogicalExpr,
    Not,
    Present,
    ValuePath,
)

from tandem.integrations.scim.schema import CORE_USER, ENTERPRISE_USER, User
from tandem.people.models import PersonStatus


@dataclass(frozen=True)
class _Column:
    field: str
    kind: str  # "text", "exact", "active", "number", "time"


_CORE = {
    "id": _Column("pk", "number"),
    "externalid": _Column("scim__external_id", "exact"),
    "username": _Column("scim_user_name", "text"),
    "displayname": _Column("name", "text"),
    "name.formatted": _Column("name", "text"),
    "name.givenname": _Column("scim__given_name", "text"),
    "name.familyname": _Column("scim__family_name", "text"),
    "title": _Column("title", "text"),
    "emails": _Column("email", "text"),
    "emails.value": _Column("email", "text"),
    "emails.type": _Column("scim__email_type", "text"),
    "active": _Column("status", "active"),
    "meta.created": _Column("created_at", "time"),
    "meta.lastmodified": _Column("updated_at", "time"),
}
_ENTERPRISE = {
    "employeenumber": _Column("employee_id", "text"),
    "department": _Column("department", "text"),
    "manager": _Column("manager_id", "number"),
    "manager.value": _Column("manager_id", "number"),
}
_TEXT_LOOKUPS = {"eq": "iexact", "co": "icontains", "sw": "istartswith", "ew": "iendswith"}
_EXACT_LOOKUPS = {"eq": "exact", "co": "contains", "sw": "startswith", "ew": "endswith"}
_ORDER_LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
_NOTHING = Q(pk__in=[])


def filter_query(text: str) -> Q:
    """The query a filter stands for. Raises InvalidFilterException (400 invalidFilter) on
    a filter that does not parse or names an attribute Tandem cannot filter on."""
    try:
        parsed = ScimFilter[User](text)
        ast = parsed.ast
    except SCIMException as error:
        raise InvalidFilterException(detail=f"filter '{text}': {error}") from error
    except ValueError as error:
        raise InvalidFilterException(detail=f"filter '{text}': {error}") from error
    return _query(ast, prefix="", text=text)


def _query(node: FilterNode, *, prefix: str, text: str) -> Q:
    if isinstance(node, LogicalExpr):
        queries = [_query(term, prefix=prefix, text=text) for term in node.terms]
        combined = queries[0]
        for query in queries[1:]:
            combined = combined & query if node.op.value == "and" else combined | query
        return combined
    if isinstance(node, Not):
        return ~_query(node.expr, prefix=prefix, text=text)
    if isinstance(node, ValuePath):
        inner = f"{node.attr_path.attr}."
        return _query(node.val_filter, prefix=prefix + inner, text=text)
    if isinstance(node, Present):
        return _present(_column(node.attr_path, prefix, text))
    if isinstance(node, Comparison):
        return _compare(_column(node.attr_path, prefix, text), node.op.value, node.value, text)
    raise InvalidFilterException(
        detail=f"filter '{text}': this kind of expression is not supported"
    )


def _column(path: AttrPath, prefix: str, text: str) -> _Column:
    name = prefix + path.attr + (f".{path.sub_attr}" if path.sub_attr else "")
    key = name.lower()
    uri = (path.uri or "").lower()
    if uri == ENTERPRISE_USER.lower():
        column = _ENTERPRISE.get(key)
    elif uri in ("", CORE_USER.lower()):
        column = _CORE.get(key) or (None if uri else _ENTERPRISE.get(key))
    else:
        column = None
    if column is None:
        raise InvalidFilterException(
            detail=f"filter '{text}': Tandem cannot filter on '{path}'. Filter on id, userName, "
            "externalId, displayName, name.givenName, name.familyName, title, emails.value, "
            "active, meta.created, meta.lastModified, or the enterprise employeeNumber, "
            "department or manager."
        )
    return column


def _present(column: _Column) -> Q:
    if column.kind == "active":
        return ~_NOTHING
    if column.kind in ("number", "time"):
        return Q(**{f"{column.field}__isnull": False})
    return Q(**{f"{column.field}__isnull": False}) & ~Q(**{column.field: ""})


def _compare(column: _Column, op: str, value: Any, text: str) -> Q:
    if value is None:
        # "eq null" asks for an unassigned attribute (RFC 7644 §3.4.2.2).
        if op == "eq":
            return ~_present(column)
        if op == "ne":
            return _present(column)
    if op == "ne":
        return ~_compare(column, "eq", value, text)
    if column.kind == "active":
        if op != "eq" or not isinstance(value, bool):
            raise InvalidFilterException(
                detail=f"filter '{text}': compare active with eq true or eq false"
            )
        return Q(status=PersonStatus.ACTIVE if value else PersonStatus.ARCHIVED)
    if column.kind == "number":
        number = str(value)
        if not number.isdigit():
            return _NOTHING
        lookup = "exact" if op == "eq" else _ORDER_LOOKUPS.get(op)
        if lookup is None:
            raise InvalidFilterException(detail=f"filter '{text}': ids compare with eq or ne")
        return Q(**{f"{column.field}__{lookup}": int(number)})
    if column.kind == "time":
        moment = parse_datetime(str(value)) if not isinstance(value, datetime.datetime) else value
        lookup = "exact" if op == "eq" else _ORDER_LOOKUPS.get(op)
        if moment is None or lookup is None:
            raise InvalidFilterException(
                detail=f"filter '{text}': compare dates as \"2026-01-31T09:00:00Z\" with eq, gt, "
                "ge, lt or le"
            )
        return Q(**{f"{column.field}__{lookup}": moment})
    lookups = _EXACT_LOOKUPS if column.kind == "exact" else _TEXT_LOOKUPS
    lookup = lookups.get(op) or _ORDER_LOOKUPS.get(op)
    if lookup is None:
        raise InvalidFilterException(detail=f"filter '{text}': unknown operator '{op}'")
    return Q(**{f"{column.field}__{lookup}": str(value)})
