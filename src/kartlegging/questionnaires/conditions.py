"""The condition language of questionnaires (`vis_hvis`) and rules (`betingelse`).

One tree, one evaluator, two notations for people (docs/sporreskjema-format.md,
docs/regler-format.md):

- text, in the rules: `koord_finnes = 'ja' and koord_stilling_pct < 50`
- a YAML mapping, in questionnaires: `{sporsmal: koord_finnes, er: "ja"}`,
  `{alle: [...]}`, `{en_av: [...]}`. Each operator is one of the text's:
  `er` is `=` (or `in` for a list), `ikke_er` is `!=` (or `not … in`),
  `inneholder` is `in`, `storre_enn` is `>`, `mindre_enn` is `<`, `alle` is
  `and`, `en_av` is `or`; `er_besvart` asks whether the answer is known.

Grammar of the text (lowest precedence first):

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := sum (("=" | "!=" | "<" | "<=" | ">" | ">=") sum | "in" list)?
    sum        := product (("+" | "-") product)*
    product    := atom (("*" | "/") atom)*
    atom       := NUMBER | STRING | NAME | "besvart" "(" NAME ")"
                | NAME "(" expr ("," expr)* ")" | "(" expr ")"
    list       := "[" STRING ("," STRING)* "]"

Values are numbers, option codes (strings), lists of codes (multiple choice) or
UNKNOWN (missing; for rules also «Vet ikke» and disputed answers). Logic is
three-valued (Kleene): an unknown operand only makes the result unknown when it
could change it. Questionnaires use the two-valued view: unknown is not shown.
Lives in questionnaires, the earlier stage, so recommendations may import it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from pydantic import Field

from kartlegging.questionnaires.validation import Model, Number, Problems, check


class ConditionError(ValueError):
    """A condition that cannot be parsed or evaluated; the message is in Norwegian."""


class _Unknown:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value; compare with `is UNKNOWN`")


UNKNOWN: Any = _Unknown()

FUNCTIONS: dict[str, Callable[..., Any]] = {"max": max, "min": min}
KEYWORDS = {"and", "or", "not", "in"}
# `besvart(nokkel)`: is the answer known? (`er_besvart` in the mapping notation)
ANSWERED = "besvart"
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
# The mapping notation's operators, in the order its messages list them.
OPERATORS = ("er", "ikke_er", "inneholder", "storre_enn", "mindre_enn", "er_besvart")


@dataclass(frozen=True)
class Node:
    # "num", "str", "name", "call", "not", "and", "or", "cmp", "in", "arith", "answered"
    kind: str
    value: Any = None
    children: tuple[Node, ...] = ()


def names(tree: Node) -> set[str]:
    """Every name a tree reads (question keys, derived values, parameters)."""
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if node.kind == "name":
            found.add(node.value)
        stack.extend(node.children)
    return found


# --------------------------------------------------------------------------- text notation

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+(?:\.\d+)?)
      | (?P<string>'[^']*')
      | (?P<name>[a-zA-Z_][a-zA-Z0-9_]*)
      | (?P<op><=|>=|!=|=|<|>|\+|-|\*|/|\(|\)|\[|\]|,)
    )""",
    re.VERBOSE,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            rest = text[position:].strip()
            raise ConditionError(
                _("kan ikke lese «%(rest)s» (tegn %(position)s)")
                % {"rest": rest[:20], "position": position + 1}
            )
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.position = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ConditionError(
                _("uttrykket slutter for tidlig (ventet «%(token)s»)") % {"token": value}
                if value
                else _("uttrykket slutter for tidlig")
            )
        if value is not None and token[1] != value:
            raise ConditionError(
                _("ventet «%(expected)s», fant «%(found)s»")
                % {"expected": value, "found": token[1]}
            )
        self.position += 1
        return token

    def at(self, *values: str) -> bool:
        token = self.peek()
        return token is not None and token[1] in values and token[0] in ("op", "name")

    def parse(self) -> Node:
        if not self.tokens:
            raise ConditionError(_("tomt uttrykk"))
        node = self.expr()
        rest = self.peek()
        if rest is not None:
            raise ConditionError(
                _("uventet «%(token)s» etter slutten av uttrykket") % {"token": rest[1]}
            )
        return node

    def expr(self) -> Node:
        node = self.and_expr()
        while self.at("or"):
            self.take()
            node = Node("or", children=(node, self.and_expr()))
        return node

    def and_expr(self) -> Node:
        node = self.not_expr()
        while self.at("and"):
            self.take()
            node = Node("and", children=(node, self.not_expr()))
        return node

    def not_expr(self) -> Node:
        if self.at("not"):
            self.take()
            return Node("not", children=(self.not_expr(),))
        return self.comparison()

    def comparison(self) -> Node:
        left = self.sum()
        if self.at(*COMPARISONS):
            op = self.take()[1]
            return Node("cmp", op, (left, self.sum()))
        if self.at("in"):
            self.take()
            return Node("in", tuple(self.code_list()), (left,))
        return left

    def code_list(self) -> list[str]:
        self.take("[")
        codes = [self.string()]
        while self.at(","):
            self.take()
            codes.append(self.string())
        self.take("]")
        return codes

    def string(self) -> str:
        kind, value = self.take()
        if kind != "string":
            raise ConditionError(
                _("ventet en kode i enkle anførselstegn, fant «%(found)s»") % {"found": value}
            )
        return value[1:-1]

    def sum(self) -> Node:
        node = self.product()
        while self.at("+", "-"):
            node = Node("arith", self.take()[1], (node, self.product()))
        return node

    def product(self) -> Node:
        node = self.atom()
        while self.at("*", "/"):
            node = Node("arith", self.take()[1], (node, self.atom()))
        return node

    def atom(self) -> Node:
        kind, value = self.take()
        if kind == "number":
            return Node("num", float(value) if "." in value else int(value))
        if kind == "string":
            return Node("str", value[1:-1])
        if kind == "name" and value not in KEYWORDS:
            if self.at("(") and value == ANSWERED:
                self.take("(")
                kind, key = self.take()
                if kind != "name" or key in KEYWORDS:
                    raise ConditionError(
                        _("%(fn)s(…) tar en spørsmålsnøkkel, fant «%(found)s»")
                        % {"fn": ANSWERED, "found": key}
                    )
                self.take(")")
                return Node("answered", children=(Node("name", key),))
            if self.at("("):
                if value not in FUNCTIONS:
                    raise ConditionError(
                        _("ukjent funksjon «%(name)s» (tillatt: besvart, max, min)")
                        % {"name": value}
                    )
                self.take("(")
                args = [self.expr()]
                while self.at(","):
                    self.take()
                    args.append(self.expr())
                self.take(")")
                return Node("call", value, tuple(args))
            return Node("name", value)
        if value == "(":
            node = self.expr()
            self.take(")")
            return node
        raise ConditionError(_("uventet «%(token)s»") % {"token": value})


@dataclass(frozen=True)
class Expression:
    """A condition in the text notation, as the rules write it."""

    text: str
    tree: Node

    @property
    def names(self) -> set[str]:
        return names(self.tree)

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """True, False or UNKNOWN. A name missing from `values` is UNKNOWN."""
        result = evaluate(self.tree, values)
        if result is UNKNOWN or isinstance(result, bool):
            return result
        raise ConditionError(_("«%(text)s» gir ikke sant/usant") % {"text": self.text})


def parse_condition(text: object) -> Expression:
    """The text notation; raises ConditionError saying what is wrong."""
    if not isinstance(text, str):
        raise ConditionError(_("må være tekst"))
    try:
        return Expression(text, _Parser(text).parse())
    except RecursionError:
        raise ConditionError(_("uttrykket er nestet for dypt")) from None


# --------------------------------------------------------------------------- mapping notation


@dataclass(frozen=True)
class Condition:
    """A condition in the mapping notation (`vis_hvis`): a leaf or all/any of others.

    Compiled on creation into the same tree as the text notation, so both are
    evaluated by one evaluator.
    """

    question: str | None = None
    operator: str | None = None
    value: Any = None
    all_of: tuple[Condition, ...] = ()
    any_of: tuple[Condition, ...] = ()
    tree: Node = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tree", self._compile())

    def _compile(self) -> Node:
        if self.all_of:
            return Node("and", children=tuple(c.tree for c in self.all_of))
        if self.any_of:
            return Node("or", children=tuple(c.tree for c in self.any_of))
        name, value = Node("name", self.question), self.value
        many = isinstance(value, (list, tuple))
        among = Node("in", tuple(value) if many else (value,), (name,))
        literal = Node("str" if isinstance(value, str) else "num", value)
        if self.operator == "er":
            return among if many else Node("cmp", "=", (name, literal))
        if self.operator == "ikke_er":
            return Node("not", children=(among,)) if many else Node("cmp", "!=", (name, literal))
        if self.operator == "inneholder":
            return among
        if self.operator in ("storre_enn", "mindre_enn"):
            return Node("cmp", ">" if self.operator == "storre_enn" else "<", (name, literal))
        answered = Node("answered", children=(name,))
        return answered if value else Node("not", children=(answered,))

    def questions(self) -> set[str]:
        return names(self.tree)

    def evaluate(self, answers: Mapping[str, Any]) -> bool:
        """Shown or not: the two-valued view, where an unanswered question is unknown.

        Empty text and an empty choice count as unanswered; an answer of the
        wrong type for a comparison (text where a number is expected) too.
        """
        values = {
            key: answers[key]
            for key in self.questions()
            if key in answers and answers[key] not in ("", [])
        }
        return evaluate(self.tree, values, lenient=True) is True


Codes = str | int | float | bool | list[str | int | float | bool]


class _Leaf(Model):
    sporsmal: str
    er: Codes | None = None
    ikke_er: Codes | None = None
    inneholder: Codes | None = None
    storre_enn: Number | None = None
    mindre_enn: Number | None = None
    er_besvart: bool | None = None


class _AllOf(Model):
    alle: list[Any] = Field(min_length=1)


class _AnyOf(Model):
    en_av: list[Any] = Field(min_length=1)


def read_condition(
    raw: Any,
    where: str,
    problems: Problems,
    check_leaf: Callable[[Condition, str], Condition | None],
) -> Condition | None:
    """The mapping notation, checked; `check_leaf` adds the file's own checks of a leaf
    (e.g. that the question comes earlier) and may return it normalised."""
    if isinstance(raw, str):
        try:
            parsed = condition_from_text(raw)
        except ConditionError as exc:
            problems.add(where, str(exc))
            return None
        return _check_leaves(parsed, where, check_leaf)
    example = _("må være en ordbok, f.eks. {sporsmal: nokkel, er: ja}")
    for combinator, model in (("alle", _AllOf), ("en_av", _AnyOf)):
        if isinstance(raw, Mapping) and combinator in raw:
            checked = check(
                model,
                raw,
                problems,
                where,
                messages={(combinator, "*"): _("'%(name)s' må være en liste med betingelser")},
            )
            if checked is None or combinator in checked[1]:
                return None
            parts = getattr(checked[0], combinator)
            built = [
                read_condition(part, f"{where} → {combinator}[{i}]", problems, check_leaf)
                for i, part in enumerate(parts, start=1)
            ]
            kept = tuple(c for c in built if c is not None)
            return Condition(all_of=kept) if combinator == "alle" else Condition(any_of=kept)
    value_message = _("'%(name)s' må være en kode, et tall eller en liste med koder")
    messages = {(op, "*"): value_message for op in ("er", "ikke_er", "inneholder")}
    messages |= {(op, "*"): _("'%(name)s' må ha et tall") for op in ("storre_enn", "mindre_enn")}
    checked = check(_Leaf, raw, problems, where, messages=messages, not_a_mapping=example)
    if checked is None:
        return None
    leaf, failed = checked
    operators = [op for op in OPERATORS if op in raw]
    if len(operators) != 1:
        problems.add(where, _("må ha nøyaktig én av %(ops)s") % {"ops": ", ".join(OPERATORS)})
        return None
    if failed & {"sporsmal", operators[0]}:
        return None
    condition = Condition(leaf.sporsmal, operators[0], getattr(leaf, operators[0]))
    return check_leaf(condition, where)


def _check_leaves(
    condition: Condition, where: str, check_leaf: Callable[[Condition, str], Condition | None]
) -> Condition | None:
    if condition.all_of or condition.any_of:
        parts = [_check_leaves(c, where, check_leaf) for c in condition.all_of or condition.any_of]
        kept = tuple(c for c in parts if c is not None)
        return Condition(all_of=kept) if condition.all_of else Condition(any_of=kept)
    return check_leaf(condition, where)


# ------------------------------------------------------------- a `vis_hvis` condition as text
#
# A spreadsheet cell holds a condition in the rules' text notation:
# `koord_finnes = 'ja'`, `team_finnes in ['ja', 'under_etablering']`,
# `not ident_verktoy in ['ingen']`, `enhet_senger > 0`, `besvart(hjemmedod_antall)`,
# joined with `and`/`or` and brackets. `condition_text` writes what `condition_from_text`
# reads back to an equal condition (multiple choice made canonical by the loader).


def condition_text(condition: Condition) -> str:
    """A `vis_hvis` condition in the text notation."""
    if condition.all_of or condition.any_of:
        parts = condition.all_of or condition.any_of
        joiner = " and " if condition.all_of else " or "
        return joiner.join(
            f"({condition_text(c)})" if c.all_of or c.any_of else condition_text(c) for c in parts
        )
    key, operator, value = condition.question, condition.operator, condition.value
    if operator == "er_besvart":
        return f"{ANSWERED}({key})" if value else f"not {ANSWERED}({key})"
    if operator in ("storre_enn", "mindre_enn"):
        return f"{key} {'>' if operator == 'storre_enn' else '<'} {_literal(value)}"
    if isinstance(value, (list, tuple)) or operator == "inneholder":
        codes = value if isinstance(value, (list, tuple)) else [value]
        among = f"{key} in [{', '.join(_literal(c) for c in codes)}]"
        return f"not {among}" if operator == "ikke_er" else among
    return f"{key} {'=' if operator == 'er' else '!='} {_literal(value)}"


def _literal(value: Any) -> str:
    return (
        repr(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else (f"'{value}'")
    )


def condition_from_text(text: str) -> Condition:
    """Read a `vis_hvis` condition written as text; raises ConditionError."""
    return _condition(parse_condition(text).tree)


def _condition(node: Node) -> Condition:
    if node.kind in ("and", "or"):
        parts: list[Condition] = []
        for child in node.children:
            part = _condition(child)
            # `a and b and c` is parsed as (a and b) and c: one list, as written.
            same = part.all_of if node.kind == "and" else part.any_of
            parts.extend(same or (part,))
        return (
            Condition(all_of=tuple(parts)) if node.kind == "and" else Condition(any_of=tuple(parts))
        )
    negated = node.kind == "not"
    inner = node.children[0] if negated else node
    subject = inner.children[0] if inner.children else None
    if subject is not None and subject.kind == "name":
        if inner.kind == "answered":
            return Condition(subject.value, "er_besvart", not negated)
        if inner.kind == "in":
            return Condition(subject.value, "ikke_er" if negated else "er", list(inner.value))
        literal = inner.children[1] if len(inner.children) == 2 else None
        if inner.kind == "cmp" and literal is not None and literal.kind in ("str", "num"):
            operators = {"=": "er", "!=": "ikke_er", ">": "storre_enn", "<": "mindre_enn"}
            operator = operators.get(inner.value)
            if negated and operator in ("er", "ikke_er"):
                operator = "ikke_er" if operator == "er" else "er"
            elif negated:
                operator = None
            if operator is not None:
                return Condition(subject.value, operator, literal.value)
    raise ConditionError(
        _(
            "en betingelse for visning må være nokkel = 'kode', nokkel != 'kode', "
            "nokkel in ['a', 'b'], nokkel > tall, nokkel < tall eller besvart(nokkel), "
            "satt sammen med and, or og parenteser"
        )
    )


# --------------------------------------------------------------------------- evaluation


def evaluate(tree: Node, values: Mapping[str, Any], *, lenient: bool = False) -> Any:
    """True, False, UNKNOWN or (below a comparison) a value.

    A name missing from `values` or None is UNKNOWN. A type error (text where a
    number is expected) raises ConditionError, or with `lenient` makes the
    comparison UNKNOWN: an answer page must never fail on an odd stored answer.
    """
    kind = tree.kind
    if kind in ("num", "str"):
        return tree.value
    if kind == "name":
        value = values.get(tree.value, UNKNOWN)
        return UNKNOWN if value is None else value
    if kind == "answered":
        return evaluate(tree.children[0], values, lenient=lenient) is not UNKNOWN
    if kind == "not":
        inner = _truth(evaluate(tree.children[0], values, lenient=lenient))
        return UNKNOWN if inner is UNKNOWN else not inner
    if kind in ("and", "or"):
        sides = [_truth(evaluate(child, values, lenient=lenient)) for child in tree.children]
        decisive = kind == "or"  # True decides an "or", False decides an "and"
        if decisive in sides:
            return decisive
        return UNKNOWN if UNKNOWN in sides else not decisive
    if kind == "in":
        value = evaluate(tree.children[0], values, lenient=lenient)
        if value is UNKNOWN:
            return UNKNOWN
        chosen = set(value) if isinstance(value, (list, tuple)) else {value}
        return bool(chosen & set(tree.value))
    if kind == "cmp":
        try:
            sides = [evaluate(child, values, lenient=lenient) for child in tree.children]
            return _compare(tree.value, *sides)
        except ConditionError:
            if lenient:
                return UNKNOWN
            raise
    if kind == "arith":
        left, right = (evaluate(child, values, lenient=lenient) for child in tree.children)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        left, right = _number(left), _number(right)
        if tree.value == "/":
            return UNKNOWN if right == 0 else left / right
        return {"+": left + right, "-": left - right, "*": left * right}[tree.value]
    if kind == "call":
        args = [evaluate(child, values, lenient=lenient) for child in tree.children]
        if any(a is UNKNOWN for a in args):
            return UNKNOWN
        return FUNCTIONS[tree.value](*(_number(a) for a in args))
    raise ConditionError(f"ukjent node {kind}")  # pragma: no cover - no parser makes others


def _truth(value: Any) -> Any:
    if value is UNKNOWN or isinstance(value, bool):
        return value
    raise ConditionError(_("bare sammenligninger kan kombineres med and/or/not"))


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConditionError(_("«%(value)s» er ikke et tall") % {"value": value})
    return value


def _compare(op: str, left: Any, right: Any) -> Any:
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if op in ("=", "!="):
        if isinstance(left, (list, tuple)):  # multiple choice: is the code among the chosen?
            equal = right in left
        elif isinstance(right, (list, tuple)):
            equal = left in right
        else:
            equal = left == right
        return equal if op == "=" else not equal
    left, right = _number(left), _number(right)
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def describe(condition: Condition, name: Callable[[str], str] = str) -> str:
    """A condition in a few words; `name` says how a question is named (by default its key,
    as in import files; the codebook uses «the question's text»)."""
    if condition.all_of:
        return _(" og ").join(describe(c, name) for c in condition.all_of)
    if condition.any_of:
        return _(" eller ").join(describe(c, name) for c in condition.any_of)
    value = condition.value
    shown = _(" eller ").join(str(v) for v in value) if isinstance(value, list) else str(value)
    words = {
        "er": _("%(key)s er %(value)s"),
        "ikke_er": _("%(key)s ikke er %(value)s"),
        "inneholder": _("%(key)s inneholder %(value)s"),
        "storre_enn": _("%(key)s er større enn %(value)s"),
        "mindre_enn": _("%(key)s er mindre enn %(value)s"),
        "er_besvart": _("%(key)s er besvart") if value else _("%(key)s ikke er besvart"),
    }
    return words[condition.operator] % {"key": name(str(condition.question)), "value": shown}
