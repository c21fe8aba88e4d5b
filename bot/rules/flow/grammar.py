"""The tree-sitter node kinds the flow analysis reads, per language (as ast-grep names them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Grammar:
    """Which kinds are functions, assignments, calls, strings and branches in one language's trees."""

    functions: frozenset[str]
    # kind -> (target field, value field); None for a target read from the children before `=` (Go var_spec).
    assignments: dict[str, tuple[str | None, str]]
    augmented: frozenset[str]
    calls: frozenset[str]
    # kind -> (receiver field, name field) of a member access: `a.b`.
    members: dict[str, tuple[str, str]]
    subscripts: frozenset[str]
    strings: frozenset[str]
    # String pieces that are code, inside a string (f-string `{x}`, template `${x}`).
    interpolations: frozenset[str]
    conditions: frozenset[str]
    conditional_expressions: frozenset[str]
    returns: frozenset[str]
    # kind -> (variable field, iterable field) of a loop over a collection.
    loops: dict[str, tuple[str, str]]
    identifiers: frozenset[str]
    parameters: frozenset[str]
    comments: frozenset[str] = frozenset({"comment", "line_comment", "block_comment"})


PYTHON = Grammar(
    functions=frozenset({"function_definition", "lambda"}),
    assignments={"assignment": ("left", "right"), "augmented_assignment": ("left", "right")},
    augmented=frozenset({"augmented_assignment"}),
    calls=frozenset({"call"}),
    members={"attribute": ("object", "attribute")},
    subscripts=frozenset({"subscript", "slice"}),
    strings=frozenset({"string", "concatenated_string"}),
    interpolations=frozenset({"interpolation"}),
    conditions=frozenset({"if_statement", "elif_clause", "while_statement"}),
    conditional_expressions=frozenset({"conditional_expression"}),
    returns=frozenset({"return_statement"}),
    loops={"for_statement": ("left", "right"), "for_in_clause": ("left", "right")},
    identifiers=frozenset({"identifier"}),
    parameters=frozenset({"parameters", "lambda_parameters"}),
)

JAVASCRIPT = Grammar(
    functions=frozenset(
        {
            "function_declaration",
            "function_expression",
            "arrow_function",
            "method_definition",
            "generator_function_declaration",
            "generator_function",
        }
    ),
    assignments={
        "variable_declarator": ("name", "value"),
        "assignment_expression": ("left", "right"),
        "augmented_assignment_expression": ("left", "right"),
    },
    augmented=frozenset({"augmented_assignment_expression"}),
    calls=frozenset({"call_expression", "new_expression"}),
    members={"member_expression": ("object", "property")},
    subscripts=frozenset({"subscript_expression"}),
    strings=frozenset({"string", "template_string"}),
    interpolations=frozenset({"template_substitution"}),
    conditions=frozenset({"if_statement", "while_statement"}),
    conditional_expressions=frozenset({"ternary_expression"}),
    returns=frozenset({"return_statement"}),
    loops={"for_in_statement": ("left", "right")},
    identifiers=frozenset({"identifier", "shorthand_property_identifier_pattern"}),
    parameters=frozenset({"formal_parameters"}),
)

GO = Grammar(
    functions=frozenset({"function_declaration", "method_declaration", "func_literal"}),
    assignments={
        "short_var_declaration": ("left", "right"),
        "assignment_statement": ("left", "right"),
        "var_spec": (None, "value"),
    },
    augmented=frozenset(),
    calls=frozenset({"call_expression"}),
    members={"selector_expression": ("operand", "field")},
    subscripts=frozenset({"index_expression", "slice_expression"}),
    strings=frozenset({"interpreted_string_literal", "raw_string_literal"}),
    interpolations=frozenset(),
    conditions=frozenset({"if_statement"}),
    conditional_expressions=frozenset(),
    returns=frozenset({"return_statement"}),
    loops={"range_clause": ("left", "right")},
    identifiers=frozenset({"identifier"}),
    parameters=frozenset({"parameter_list"}),
)

JAVA = Grammar(
    functions=frozenset({"method_declaration", "constructor_declaration", "lambda_expression"}),
    assignments={"variable_declarator": ("name", "value"), "assignment_expression": ("left", "right")},
    augmented=frozenset(),
    calls=frozenset({"method_invocation", "object_creation_expression"}),
    members={"field_access": ("object", "field")},
    subscripts=frozenset({"array_access"}),
    strings=frozenset({"string_literal", "text_block"}),
    interpolations=frozenset(),
    conditions=frozenset({"if_statement", "while_statement"}),
    conditional_expressions=frozenset({"ternary_expression"}),
    returns=frozenset({"return_statement"}),
    loops={"enhanced_for_statement": ("name", "value")},
    identifiers=frozenset({"identifier"}),
    parameters=frozenset({"formal_parameters"}),
)
