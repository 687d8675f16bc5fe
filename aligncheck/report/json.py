"""The JSON report: a contract other tools read, described by schemas/report.schema.json."""

from __future__ import annotations

import json as _json
from typing import Any

from aligncheck import __version__
from aligncheck.pipeline import Report

SCHEMA_VERSION = "1.0"


def report_to_dict(report: Report) -> dict[str, Any]:
    model = report.scorer.model
    cv = (model.card or {}).get("cross_validation") or {}
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": report.kind,
        "tool": {"name": "aligncheck", "version": __version__},
        "framework": {"id": report.framework.id, "version": report.framework.version},
        "model": {
            "id": model.name,
            "scorer": model.card.get("scorer_id", "aligncheck.scorer.v1"),
            "encoder": model.encoder,
            "trained": model.card.get("trained"),
            "thresholds": {
                p.principle: {"label": p.threshold, "review_from": p.review_low} for p in model.principles
            },
            "accuracy": {
                "setup": "leave-one-agency-out cross-validation on the team's labelled passages",
                "macro_f1": cv.get("macro_f1"),
                "macro_precision": cv.get("macro_precision"),
                "neutral_wrongly_labelled": cv.get("neutral_wrongly_labelled"),
                "conflicts": cv.get("conflicts"),
                "principles": cv.get("principles"),
            }
            if cv
            else None,
            "real_text": model.real_text,
        },
        "documents": [
            {
                "doc_id": d.doc_id,
                "path": d.path,
                "agency": d.agency,
                "title": d.title,
                "sha256": d.sha256,
                "pages": d.pages,
                "format": d.format,
                "language": d.language,
                "domain": report.framework.domain_for_agency(d.agency),
                "period": d.meta.period,
                "version": d.meta.version,
                "date": d.meta.date,
            }
            for d in report.documents
        ],
        "coverage": [c.to_dict() for c in report.coverage],
        "findings": [f.to_dict() for f in report.findings],
        "shared_text": [s.to_dict() for s in report.shared],
        "definitions": report.definitions,
        "failures": [{"path": f.path, "error": str(f), "reason": f.reason} for f in report.failures],
        "warnings": report.warnings,
        "generated_at": report.generated_at,
    }
    if report.changes is not None:
        out["changes"] = [c.to_dict() for c in report.changes]
    return out


def render_json(report: Report, lang: str = "nl") -> str:
    return _json.dumps(report_to_dict(report), ensure_ascii=False, indent=1) + "\n"
