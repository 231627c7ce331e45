"""Members of a response that its schema does not list.

The document keeps objects open (no additionalProperties: false) so that a field added on the
server does not break clients; this finds such fields so that the document can list them.
"""


def _resolve(document, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        node = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        schema = dict(node, **rest) if rest else node
    return schema if isinstance(schema, dict) else {}


def _branches(document, schema):
    """The schema and everything it is composed of (allOf; anyOf/oneOf except null)."""
    schema = _resolve(document, schema)
    out = [schema]
    for s in schema.get("allOf", []):
        out.extend(_branches(document, s))
    for key in ("anyOf", "oneOf"):
        for s in schema.get(key, []):
            if _resolve(document, s).get("type") != "null":
                out.extend(_branches(document, s))
    return out


def undocumented(document, schema, value, path=""):
    """JSON pointers in `value` of members that no branch of `schema` names."""
    found = []
    branches = _branches(document, schema)
    if isinstance(value, dict):
        props, extra, typed = {}, None, False
        for b in branches:
            if "properties" in b:
                typed = True
                for name, s in b["properties"].items():
                    props.setdefault(name, s)
            if isinstance(b.get("additionalProperties"), dict):
                extra = b["additionalProperties"]
        if not typed and extra is None:
            return found  # a free-form object (e.g. an audit entry's detail)
        for name, member in value.items():
            sub = props.get(name, extra)
            if sub is None:
                found.append(f"{path}/{name}")
            else:
                found.extend(undocumented(document, sub, member, f"{path}/{name}"))
    elif isinstance(value, list):
        items = next((b["items"] for b in branches if "items" in b), None)
        if items is not None:
            for i, member in enumerate(value):
                found.extend(undocumented(document, items, member, f"{path}/{i}"))
    return found
