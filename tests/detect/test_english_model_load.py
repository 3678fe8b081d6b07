"""The English model is loaded for its NER alone: what NER never reads is not loaded, unless an
attribute ruler that may depend on it sets NORM (then everything is, as before)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from pii_audit.detect.engine import EN_MODEL, _english_ner, _factories, _ner_only

TEXTS = [
    "Contact John Smith at the Boston office before Friday.",
    "Minutes: Maria Garcia-Lopez and Dr. Alan Turing reviewed the Q3 budget with Acme Corp.",
    "Signed, Emily O'Brien (HR), 14 March 2024.",
    "The Quarterly Review Committee met in Room 4 with Kim Min-jun and Park Ji-woo.",
]


def _model_dir(tmp_path: Path, norm: bool) -> Path:
    nlp = spacy.blank("en")
    tagger = nlp.add_pipe("tagger")
    tagger.add_label("NN")  # type: ignore[attr-defined]
    ruler = nlp.add_pipe("attribute_ruler")
    ner = nlp.add_pipe("ner")
    ner.add_label("PERSON")  # type: ignore[attr-defined]
    nlp.initialize()  # (empties the ruler: its pattern is added after)
    attrs = {"NORM": "thing"} if norm else {"POS": "NOUN"}
    ruler.add([[{"TAG": "NN"}]], attrs)  # type: ignore[attr-defined]
    out = tmp_path / ("norm" if norm else "plain")
    nlp.to_disk(out)
    return out


def test_factories_read_from_the_config_without_loading(tmp_path: Path) -> None:
    assert _factories(str(_model_dir(tmp_path, norm=False))) == {
        "tagger": "tagger",
        "attribute_ruler": "attribute_ruler",
        "ner": "ner",
    }
    assert _factories(str(tmp_path / "missing")) is None
    assert _factories("no_such_spacy_package") is None


def test_tagger_not_loaded_when_nothing_sets_norm(tmp_path: Path) -> None:
    nlp = _english_ner(str(_model_dir(tmp_path, norm=False)))
    assert "tagger" not in nlp.component_names
    assert nlp.pipe_names == ["ner"]


def test_tagger_kept_when_an_attribute_ruler_sets_norm(tmp_path: Path) -> None:
    nlp = _english_ner(str(_model_dir(tmp_path, norm=True)))
    assert "tagger" in nlp.component_names
    assert "tagger" in nlp.pipe_names  # enabled: the ruler's NORM may depend on its tags


def test_shipped_model_finds_the_same_people_without_its_unread_components() -> None:
    try:
        before = _ner_only(spacy.load(EN_MODEL, exclude=["parser"]))
    except OSError:
        pytest.skip(f"{EN_MODEL} is not installed")
    after = _english_ner(EN_MODEL)
    assert not {"tagger", "lemmatizer", "parser", "senter"} & set(after.component_names)
    assert "tagger" in before.component_names  # the comparison is with the pipeline loaded whole

    def ents(nlp: spacy.Language) -> list[list[tuple[int, int, str]]]:
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(TEXTS)]

    found = ents(after)
    assert found == ents(before)
    assert any(label == "PERSON" for doc in found for _, _, label in doc)
