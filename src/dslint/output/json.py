"""One JSON document: version, files read, every diagnostic and a summary, keys in a stable order."""

from __future__ import annotations

from dslint.model import RunResult, Severity
from dslint.output.common import RenderOptions, dumps, files


def render(result: RunResult, options: RenderOptions) -> str:
    summaries = files(result)
    document = {
        "version": options.version,
        "files": [
            {
                "path": summary.path,
                "format": summary.format,
                "formats": dict(sorted(summary.formats.items())),
                "records": summary.records,
            }
            for summary in summaries
        ],
        "diagnostics": [diagnostic.to_dict() for diagnostic in result.diagnostics],
        "summary": {
            "records": result.records,
            "files": len(summaries),
            "errors": result.count(Severity.ERROR),
            "warnings": result.count(Severity.WARNING),
            "infos": result.count(Severity.INFO),
            "by_code": result.by_code(),
        },
    }
    return dumps(document, indent=True) + "\n"
