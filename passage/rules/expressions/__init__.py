"""A small, safe expression language for eligibility criteria.

Expressions are parsed by a tokenizer and a Pratt parser into a tree; nothing is
ever handed to `eval`. The grammar, loosest binding first:

    or  ·  and  ·  not  ·  == != < <= > >= in, not in  ·  + -  ·  * /  ·  unary -

Operands are literals (`12`, `2.5`, `"FR"`, `true`, `false`, `null`,
`date("2014-08-01")`, lists `["a", "b"]`), fact names, parameters
(`param.minimum_funds`, or indexed by a key: `param.maximum_age[citizenship]`)
and calls to the functions of `FUNCTIONS`.

Logic has three values: a null operand makes a comparison or an arithmetic
result null, `and` and `or` follow Kleene's rules (false and null is false,
true or null is true), and `is_null(x)` is the only way to test for null.
Each tree is evaluated two ways that must agree: `evaluate` on one set of
facts (returning a trace of the facts and parameter values used), through the
Python closures `scalar_form` compiles it to once, and `to_polars` as a Polars
expression over a column per fact.

The modules, in the order they build on each other: `nodes` (the tree and the
functions), `tokens`, `parser`, `parameters` (values by effective date), `scalar`
and `columnar` (the two evaluators).
"""

from passage.rules.expressions.columnar import polars_type, shared_calls, to_polars
from passage.rules.expressions.nodes import (
    FUNCTIONS,
    Binary,
    Call,
    ExpressionError,
    Fact,
    ListOf,
    Literal,
    Node,
    Param,
    Unary,
    Value,
)
from passage.rules.expressions.parameters import ParameterValues, Timeline
from passage.rules.expressions.parser import facts_used, parse, walk
from passage.rules.expressions.scalar import (
    Evaluation,
    Scalar,
    Scope,
    Trace,
    evaluate,
    given_key,
    scalar_form,
)

__all__ = [
    "FUNCTIONS",
    "Binary",
    "Call",
    "Evaluation",
    "ExpressionError",
    "Fact",
    "ListOf",
    "Literal",
    "Node",
    "Param",
    "ParameterValues",
    "Scalar",
    "Scope",
    "Timeline",
    "Trace",
    "Unary",
    "Value",
    "evaluate",
    "facts_used",
    "given_key",
    "parse",
    "polars_type",
    "scalar_form",
    "shared_calls",
    "to_polars",
    "walk",
]
