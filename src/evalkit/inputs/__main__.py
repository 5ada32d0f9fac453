"""``python -m evalkit.inputs > docs/data.md``: the data contract as Markdown."""

from evalkit.inputs.schema import describe_markdown

print(describe_markdown(), end="")
