"""JSON Schemas for editors, generated from the model so there is no second truth to keep.

Editors who use VS Code (or any editor with the YAML language server) get completion and
checks as they type: each content file's first line names its schema. The schema covers
what each field must look like; what spans fields (references that resolve, real dates, the
self-check proofs) is checked by `check` alone.
"""

from __future__ import annotations

import json

from pydantic.json_schema import GenerateJsonSchema

from generator.model import Glossary, Site, Topic

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMAS = {"topic.schema.json": Topic, "site.schema.json": Site,
           "glossary.schema.json": Glossary}


class _EditorSchema(GenerateJsonSchema):
    """Pydantic's schema, plus what its own string constraints mean but do not say."""

    def str_schema(self, schema):
        result = super().str_schema(schema)
        # The model strips spaces before counting, so text of only spaces counts as empty.
        if schema.get("strip_whitespace") and schema.get("min_length") and "pattern" not in result:
            result["pattern"] = r"\S"
        return result


def schema_for(cls) -> dict:
    """The JSON Schema (draft 2020-12) of one content file type."""
    body = cls.model_json_schema(schema_generator=_EditorSchema)
    return {"$schema": DIALECT, **body}


def schema_texts() -> dict[str, str]:
    """Each schema file's name and its exact text, as committed under content/schema/."""
    return {name: json.dumps(schema_for(cls), indent=2, ensure_ascii=False) + "\n"
            for name, cls in SCHEMAS.items()}
