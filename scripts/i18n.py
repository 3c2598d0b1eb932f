#!/usr/bin/env python3
"""The panel's message catalogues (i18n/*.json).

- `python3 scripts/i18n.py check`: the catalogue check (part of `make test`).
  Fails on a missing key, an extra key, a placeholder that differs from the
  English one, a plural form missing for the language's CLDR categories (or
  one it does not have), or a value that is not text.
- `python3 scripts/i18n.py self-test`: proves the check fails on each of those.
- `write(stage)` (called by csp.py after Trunk's build): writes each
  non-English catalogue as a hashed JSON array in the key order build.rs uses
  (sorted keys; `null` for a missing key) and returns the `<meta name="tfa-i18n">`
  content that tells the panel the file names.
"""
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.join(ROOT, "i18n")

# CLDR plural categories for integers, per language (what Intl.PluralRules
# answers); must match src/i18n/lang.rs `plural_categories`.
CATEGORIES = {
    "en": ["one", "other"],
    "de": ["one", "other"],
    "fr": ["one", "many", "other"],
    "es": ["one", "many", "other"],
    "pt-BR": ["one", "many", "other"],
    "ru": ["one", "few", "many", "other"],
    "zh-CN": ["other"],
    "ja": ["other"],
    "ar": ["zero", "one", "two", "few", "many", "other"],
}

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def load(tag, directory=DIR):
    with open(os.path.join(directory, tag + ".json"), encoding="utf-8") as f:
        data = json.load(f)
    return {k: v for k, v in data.items() if not k.startswith("@")}


def placeholders(value):
    texts = value.values() if isinstance(value, dict) else [value]
    found = set()
    for t in texts:
        found |= set(PLACEHOLDER.findall(t))
    return found


def check(catalogues):
    """Problems of `catalogues` ({tag: {key: value}}, "en" the reference)."""
    problems = []
    en = catalogues["en"]
    for tag, cat in sorted(catalogues.items()):
        want = CATEGORIES.get(tag)
        if want is None:
            problems.append(f"{tag}: no plural categories known for this language")
            continue
        for key in sorted(set(en) - set(cat)):
            problems.append(f"{tag}: missing key {key}")
        for key in sorted(set(cat) - set(en)):
            problems.append(f"{tag}: extra key {key}")
        for key in sorted(set(cat) & set(en)):
            value, ref = cat[key], en[key]
            if isinstance(ref, dict) != isinstance(value, dict):
                problems.append(f"{tag}: {key} must be {'plural forms' if isinstance(ref, dict) else 'a text'}")
                continue
            if isinstance(value, dict):
                if not all(isinstance(v, str) and v.strip() for v in value.values()):
                    problems.append(f"{tag}: {key} has an empty or non-text form")
                    continue
                for c in want:
                    if c not in value:
                        problems.append(f"{tag}: {key} lacks the plural form '{c}'")
                for c in sorted(set(value) - set(want)):
                    problems.append(f"{tag}: {key} has a plural form '{c}' that {tag} does not use")
                if "n" not in placeholders(ref):
                    problems.append(f"{tag}: {key} is plural but the English text has no {{n}}")
            elif not isinstance(value, str) or not value.strip():
                problems.append(f"{tag}: {key} is empty or not text")
                continue
            if placeholders(value) != placeholders(ref):
                problems.append(
                    f"{tag}: {key} placeholders {sorted(placeholders(value))} differ from English {sorted(placeholders(ref))}")
            if isinstance(value, dict):
                for c, t in value.items():
                    # A form may leave out {n} (Arabic's "two" says "two entries"),
                    # but may not add a name English lacks.
                    extra = set(PLACEHOLDER.findall(t)) - placeholders(ref)
                    if extra:
                        problems.append(f"{tag}: {key}.{c} has unknown placeholders {sorted(extra)}")
    return problems


def all_catalogues(directory=DIR):
    return {name[:-5]: load(name[:-5], directory)
            for name in sorted(os.listdir(directory)) if name.endswith(".json")}


def write(stage):
    """Writes the hashed arrays into `stage`; returns the meta content."""
    en = load("en")
    keys = sorted(en)
    pairs = []
    for tag, cat in all_catalogues().items():
        if tag == "en":
            continue
        data = json.dumps([cat.get(k) for k in keys], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        name = "i18n-%s-%s.json" % (tag, hashlib.sha256(data).hexdigest()[:16])
        with open(os.path.join(stage, name), "wb") as f:
            f.write(data)
        pairs.append(f"{tag}=./{name}")
    return " ".join(pairs)


def self_test():
    en = {"a": "Hello {name}", "b": {"one": "{n} entry", "other": "{n} entries"}}
    good_ru = {"a": "Привет, {name}", "b": {"one": "{n} запись", "few": "{n} записи", "many": "{n} записей", "other": "{n} записи"}}
    assert check({"en": en, "ru": good_ru}) == [], check({"en": en, "ru": good_ru})
    cases = {
        "missing key": {"a": "Привет, {name}"},
        "extra key": dict(good_ru, c="лишний"),
        "placeholders": dict(good_ru, a="Привет, {user}"),
        "lacks the plural form 'few'": dict(good_ru, b={"one": "{n} запись", "many": "{n} записей", "other": "{n} записи"}),
        "does not use": dict(good_ru, b=dict(good_ru["b"], two="{n} записи")),
        "must be plural forms": dict(good_ru, b="{n} записей"),
        "empty": dict(good_ru, a=""),
    }
    for expect, ru in cases.items():
        problems = check({"en": en, "ru": ru})
        assert any(expect in p for p in problems), (expect, problems)
    print("i18n self-test: the check fails on each of", len(cases), "kinds of problem")


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    if cmd == "self-test":
        self_test()
        return 0
    cats = all_catalogues()
    missing = sorted(set(CATEGORIES) - set(cats))
    problems = [f"{tag}: no catalogue i18n/{tag}.json" for tag in missing] + check(cats)
    for p in problems:
        print("i18n:", p)
    keys = len(cats.get("en", {}))
    print(f"i18n: {len(cats)} catalogues, {keys} keys, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
