"""Human-readable rendering of code records and index subtrees for `medbill codes`."""

from typing import Any

from rich.tree import Tree

from medbill.cli.common import console

NOTE_TITLES = {
    "inclusion_terms": "Inclusion terms",
    "includes": "Includes",
    "excludes1": "Excludes1",
    "excludes2": "Excludes2",
    "code_first": "Code first",
    "use_additional_code": "Use additional code",
    "code_also": "Code also",
    "notes": "Notes",
    "seventh_character_note": "7th character",
    "operation_definition": "Operation definition",
}


def render_record(record: dict[str, Any]) -> None:
    billable = "billable" if record.get("billable") else "not billable (header)"
    console.print(f"[bold]{record['code']}[/] ({record['system']}) — {billable}", highlight=False)
    console.print(f"  {record['description']}", highlight=False)
    valid_to = record.get("valid_to") or "open"
    console.print(
        f"  valid {record.get('valid_from') or '?'} .. {valid_to}  (release {record.get('release')})"
    )
    if record.get("chapter"):
        console.print(
            f"  chapter {record['chapter']['number']}: {record['chapter']['description']}", highlight=False
        )
        console.print(f"  block {record['block']['id']}: {record['block']['description']}", highlight=False)
    if record.get("parents"):
        console.print(f"  parents: {' > '.join(record['parents'])}")
    if record.get("children"):
        console.print(
            f"  children: {', '.join(record['children'][:30])}{' …' if len(record['children']) > 30 else ''}"
        )
    for kind, texts in record.get("notes", {}).items():
        console.print(f"  [bold]{NOTE_TITLES.get(kind, kind)}[/]", highlight=False)
        for text in texts:
            console.print(f"    - {text}", highlight=False)
    if record.get("seventh_characters"):
        owner = f" (from {record['seventh_from']})" if record.get("seventh_from") else ""
        console.print(f"  [bold]7th characters[/]{owner}")
        for item in record["seventh_characters"]:
            console.print(f"    {item['char']}  {item['meaning']}", highlight=False)
    for edit in record.get("mce_edits", ()):
        ages = f" (ages {edit['age_low']}-{edit['age_high']})" if edit.get("age_low") is not None else ""
        scope = "inpatient" if edit["inpatient_only"] else "any claim"
        console.print(
            f"  MCE {edit['key']}: {edit['edit_title']} — {edit['title']}{ages} ({scope})", highlight=False
        )
    for axis in record.get("axes", ()):
        console.print(
            f"  {axis['char']}  {axis['axis'].replace('_', ' '):12} {axis['label']}", highlight=False
        )
    for key in ("kind", "short_description", "action_code", "coverage", "betos"):
        if record.get(key) and record.get("system") == "hcpcs":
            console.print(f"  {key.replace('_', ' ')}: {record[key]}", highlight=False)


def _add(tree: Tree, node: Any, depth: int) -> None:
    label = node.label()
    branch = tree.add(label, highlight=False)
    if depth > 1:
        for child in node.children:
            _add(branch, child, depth - 1)
    elif node.children:
        branch.add(f"… {len(node.children)} more", style="dim")


def render_index(nodes: list[Any], depth: int) -> None:
    if not nodes:
        console.print("no such index entry")
        return
    for node in nodes:
        trail = " → ".join(node.path[:-1])
        tree = Tree(f"[bold]{node.table}[/]: {trail + ' → ' if trail else ''}{node.label()}", highlight=False)
        for child in node.children:
            _add(tree, child, depth)
        console.print(tree)
