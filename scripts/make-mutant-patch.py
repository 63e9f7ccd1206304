#!/usr/bin/env python3
"""Turns a mutant written as a copy of an exercise's solution into a patch mutant (`mutant.yaml`).

    scripts/make-mutant-patch.py Exercise1_3 off-by-one /tmp/my-wrong-copy

reads every file of the copy, compares it with `Solutions/<id>/`, and writes
`grader/mutants/<id>/<name>/mutant.yaml`: `generate: reference` and the smallest `replace`/`with` edits (each
with enough surrounding lines to be unique in its file) that turn the solution into the copy. The copy's
leading `// MUTANT <name>: ... Caught by <Class>.<method>.` comment block becomes the file's `#` header (the
grader and `lab verify` read `Caught by` from it). The script applies its own edits the way the grader does
(`replace` swaps every occurrence, edits in order) and refuses to write a patch that does not reproduce the
copy exactly. Write the wrong solution in a scratch copy, run this, then delete the copy.
"""
import difflib
import os
import sys

import yaml


def header_and_body(text):
    """Splits a leading `// MUTANT` comment block (and the blank line after it) off `text`."""
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].startswith("// MUTANT"):
        return [], text
    count = 0
    while count < len(lines) and lines[count].startswith("//") and not lines[count].startswith("///"):
        count += 1
    header = [line[2:].strip() for line in lines[:count]]
    if count < len(lines) and lines[count].strip() == "":
        count += 1
    return header, "".join(lines[count:])


def apply(edits, files):
    for edit in edits:
        text = files[edit["file"]]
        if "content" in edit:
            files[edit["file"]] = edit["content"]
            continue
        if edit["replace"] not in text:
            raise ValueError("replace text missing in " + edit["file"])
        files[edit["file"]] = text.replace(edit["replace"], edit["with"])
    return files


def hunks(old, new):
    """Changed line ranges ((i1, i2), (j1, j2)) of old → new, nearby changes merged."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    merged = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if merged and i1 - merged[-1][0][1] <= 2:
            (a1, _), (b1, _) = merged[-1]
            merged[-1] = ((a1, i2), (b1, j2))
        else:
            merged.append(((i1, i2), (j1, j2)))
    return merged


def file_edits(path, old_text, new_text):
    old = old_text.splitlines(keepends=True)
    new = new_text.splitlines(keepends=True)
    edits = []
    for (i1, i2), (j1, j2) in hunks(old, new):
        for context in range(0, 40):
            a, b = max(0, i1 - context), min(len(old), i2 + context)
            replace = "".join(old[a:b])
            if replace and old_text.count(replace) == 1:
                break
        else:
            return [{"file": path, "content": new_text}]
        with_text = "".join(old[a:i1] + new[j1:j2] + old[i2:b])
        edits.append({"file": path, "replace": replace, "with": with_text})
    # Later edits see the text earlier ones produced: check the whole set reproduces the copy.
    try:
        if apply(edits, {path: old_text})[path] == new_text:
            return edits
    except ValueError:
        pass
    return [{"file": path, "content": new_text}]


class Literal(str):
    pass


def literal_representer(dumper, data):
    style = "|" if "\n" in data and not any(line != line.rstrip() for line in data.split("\n")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=style)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    exercise, name, copy = sys.argv[1:]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    solution = os.path.join(root, "Solutions", exercise)
    header, edits, expected, originals = [], [], {}, {}
    for folder, _, names in os.walk(copy):
        for file in sorted(names):
            full = os.path.join(folder, file)
            relative = os.path.relpath(full, copy)
            path = f"Exercises/{exercise}/{relative}"
            with open(full, encoding="utf-8") as handle:
                file_header, text = header_and_body(handle.read())
            header += file_header
            original = os.path.join(solution, relative)
            if not os.path.exists(original):
                sys.exit(f"{relative}: not in {solution} (a patch mutant changes the solution's files only)")
            with open(original, encoding="utf-8") as handle:
                originals[path] = handle.read()
            expected[path] = text
            if text != originals[path]:
                edits += file_edits(path, originals[path], text)
    if not edits:
        sys.exit("the copy is the solution: nothing to patch")
    if apply([dict(e) for e in edits], dict(originals)) != expected:
        sys.exit("internal error: the edits do not reproduce the copy")
    document = {"generate": "reference", "edits": [
        {key: Literal(value) if key != "file" else value for key, value in edit.items()} for edit in edits]}
    yaml.add_representer(Literal, literal_representer)
    body = yaml.dump(document, sort_keys=False, allow_unicode=True, width=1000)
    if yaml.safe_load(body) != {"generate": "reference", "edits": [dict(e) for e in edits]}:
        sys.exit("internal error: the YAML does not read back as written")
    lines = [f"# {line}".rstrip() for line in header] or [f"# MUTANT {name}: (say what is wrong and what catches it)"]
    lines.append(f"# A patch mutant: Solutions/{exercise} with these edits (grade samples and lab verify apply them).")
    out = os.path.join(root, "grader", "mutants", exercise, name)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "mutant.yaml"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n" + body)
    print(f"{out}/mutant.yaml: {len(edits)} edit(s)")


if __name__ == "__main__":
    main()
