"""The rules' condition language: parsed by hand into a tree, evaluated without `eval`.

Grammar (lowest precedence first; see docs/regler-format.md):

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := sum (("=" | "!=" | "<" | "<=" | ">" | ">=") sum | "in" list)?
    sum        := product (("+" | "-") product)*
    product    := atom (("*" | "/") atom)*
    atom       := NUMBER | STRING | NAME | NAME "(" expr ("," expr)* ")" | "(" expr ")"
    list       := "[" STRING ("," STRING)* "]"

Values are numbers, option codes (strings), lists of codes (multiple choice) or
UNKNOWN (missing, "Vet ikke", disputed). Logic is three-valued (Kleene): an
unknown operand only makes the result unknown when it could change it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


class ConditionError(ValueError):
    """A condition that cannot be parsed or uses a name that is not allowed; message in Norwegian."""


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

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+(?:\.\d+)?)
      | (?P<string>'[^']*')
      | (?P<name>[a-zA-Z_][a-zA-Z0-9_]*)
      | (?P<op><=|>=|!=|=|<|>|\+|-|\*|/|\(|\)|\[|\]|,)
    )""",
    re.VERBOSE,
)
KEYWORDS = {"and", "or", "not", "in"}
FUNCTIONS: dict[str, Callable[..., Any]] = {"max": max, "min": min}
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")


@dataclass(frozen=True)
class Node:
    kind: str  # "num", "str", "name", "call", "not", "and", "or", "cmp", "in", "arith"
    value: Any = None
    children: tuple[Node, ...] = ()


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            rest = text[position:].strip()
            raise ConditionError(f"kan ikke lese «{rest[:20]}» (tegn {position + 1})")
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
                f"uttrykket slutter for tidlig (ventet «{value}»)"
                if value
                else "uttrykket slutter for tidlig"
            )
        if value is not None and token[1] != value:
            raise ConditionError(f"ventet «{value}», fant «{token[1]}»")
        self.position += 1
        return token

    def at(self, *values: str) -> bool:
        token = self.peek()
        return token is not None and token[1] in values and token[0] in ("op", "name")

    def parse(self) -> Node:
        if not self.tokens:
            raise ConditionError("tomt uttrykk")
        node = self.expr()
        rest = self.peek()
        if rest is not None:
            raise ConditionError(f"uventet «{rest[1]}» etter slutten av uttrykket")
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
            raise ConditionError(f"ventet en kode i enkle anførselstegn, fant «{value}»")
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
            if self.at("("):
                if value not in FUNCTIONS:
                    raise ConditionError(f"ukjent funksjon «{value}» (tillatt: max, min)")
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
        raise ConditionError(f"uventet «{value}»")


@dataclass(frozen=True)
class Condition:
    text: str
    tree: Node

    @property
    def names(self) -> set[str]:
        """Every name the condition reads (question keys, derived values, parameters)."""
        found: set[str] = set()

        def walk(node: Node) -> None:
            if node.kind == "name":
                found.add(node.value)
            for child in node.children:
                walk(child)

        walk(self.tree)
        return found

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """True, False or UNKNOWN. A name missing from `values` is UNKNOWN."""
        result = _evaluate(self.tree, values)
        if result is UNKNOWN or isinstance(result, bool):
            return result
        raise ConditionError(f"«{self.text}» gir ikke sant/usant")


def parse_condition(text: object) -> Condition:
    if not isinstance(text, str):
        raise ConditionError("må være tekst")
    return Condition(text, _Parser(text).parse())


def _evaluate(node: Node, values: Mapping[str, Any]) -> Any:
    kind = node.kind
    if kind in ("num", "str"):
        return node.value
    if kind == "name":
        value = values.get(node.value, UNKNOWN)
        return UNKNOWN if value is None else value
    if kind == "not":
        inner = _truth(_evaluate(node.children[0], values))
        return UNKNOWN if inner is UNKNOWN else not inner
    if kind in ("and", "or"):
        sides = [_truth(_evaluate(child, values)) for child in node.children]
        decisive = kind == "or"  # True decides an "or", False decides an "and"
        if decisive in sides:
            return decisive
        return UNKNOWN if UNKNOWN in sides else not decisive
    if kind == "in":
        value = _evaluate(node.children[0], values)
        if value is UNKNOWN:
            return UNKNOWN
        chosen = set(value) if isinstance(value, (list, tuple)) else {value}
        return bool(chosen & set(node.value))
    if kind == "cmp":
        return _compare(node.value, *(_evaluate(child, values) for child in node.children))
    if kind == "arith":
        left, right = (_evaluate(child, values) for child in node.children)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        left, right = _number(left), _number(right)
        if node.value == "/":
            return UNKNOWN if right == 0 else left / right
        return {"+": left + right, "-": left - right, "*": left * right}[node.value]
    if kind == "call":
        args = [_evaluate(child, values) for child in node.children]
        if any(a is UNKNOWN for a in args):
            return UNKNOWN
        return FUNCTIONS[node.value](*(_number(a) for a in args))
    raise ConditionError(f"ukjent node {kind}")  # pragma: no cover - parser makes no others


def _truth(value: Any) -> Any:
    if value is UNKNOWN or isinstance(value, bool):
        return value
    raise ConditionError("bare sammenligninger kan kombineres med and/or/not")


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConditionError(f"«{value}» er ikke et tall")
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
