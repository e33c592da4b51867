"""Prints check-jsonschema's vendored Azure Pipelines schema with the Advanced Security publish
task added, which the vendored copy predates."""

import json
import pathlib
import sys

import check_jsonschema

VENDORED = (
    pathlib.Path(check_jsonschema.__file__).parent
    / "builtin_schemas"
    / "vendor"
    / "azure-pipelines.json"
)

TASK = "AdvancedSecurity-Publish@1"

# The task's inputs, as Microsoft's task reference lists them.
PUBLISH_INPUTS = {
    "SarifsInputDirectory": {"type": "string"},
    "EnableRecursiveScanning": {"type": "boolean"},
    "Category": {"type": "string"},
    "WaitForProcessing": {"type": "boolean"},
    "WaitForProcessingInterval": {"type": "string"},
    "WaitForProcessingTimeout": {"type": "string"},
}


def main() -> None:
    schema = json.loads(VENDORED.read_text(encoding="utf-8"))
    task = schema["definitions"]["task"]
    if TASK not in json.dumps(task):
        task["properties"]["task"]["anyOf"].append({"enum": [TASK], "ignoreCase": "value"})
        task["anyOf"].append(
            {
                "properties": {
                    "task": {"pattern": f"^{TASK}$"},
                    "inputs": {
                        "properties": PUBLISH_INPUTS,
                        "additionalProperties": False,
                    },
                },
                "required": ["task"],
            }
        )
    json.dump(schema, sys.stdout)


if __name__ == "__main__":
    main()
