"""The peers: the same content through pandoc (DOCX), WeasyPrint and Typst (PDF)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from timing import FONTS, SOURCES, TEMPLATES, BenchError, repeat, run

WEASYPRINT_CODE = """\
import sys
import weasyprint
for html, pdf in zip(sys.argv[1::2], sys.argv[2::2]):
    weasyprint.HTML(filename=html).write_pdf(pdf)
"""
TYPST_CODE = """\
import sys
import typst
fonts = sys.argv[1]
for source, pdf in zip(sys.argv[2::2], sys.argv[3::2]):
    typst.compile(source, output=pdf, font_paths=[fonts], ignore_system_fonts=True)
"""


# ------------------------------------------------------------------ peers


def probe(code: str) -> str | None:
    """None if `python -c code` works here, else the reason it does not."""
    try:
        run([sys.executable, "-c", code])
    except BenchError as error:
        lines = [line for line in str(error).splitlines() if line.strip()]
        return lines[-1] if lines else str(error)
    return None


def bench_peers(runs: int, work: Path) -> dict[str, Any]:
    from esafety_docs.building.pipeline import load
    from esafety_docs.render.markdown import document_markdown

    folder = work / "peers"
    folder.mkdir()
    started = time.perf_counter()
    pack = load(SOURCES, TEMPLATES).pack
    stems = []
    for document in pack.documents:
        (folder / f"{document.id}.md").write_text(
            document_markdown(document, pack), encoding="utf-8"
        )
        stems.append(folder / document.id)
    results: dict[str, Any] = {
        "export_s": time.perf_counter() - started,
        "documents": [s.name for s in stems],
        "unavailable": {},
        "versions": {},
    }

    def files(suffix: str) -> list[str]:
        return [f"{s}{suffix}" for s in stems]

    reason = probe("import pypandoc; print(pypandoc.get_pandoc_path())")
    if reason:
        results["unavailable"]["pandoc"] = f"pypandoc-binary: {reason}"
        return results
    pandoc = run(
        [sys.executable, "-c", "import pypandoc; print(pypandoc.get_pandoc_path())"]
    ).stdout.strip()
    results["versions"]["pandoc"] = run([pandoc, "--version"]).stdout.splitlines()[0]

    def pandoc_to(fmt: str, suffix: str, *extra: str) -> list[list[str | Path]]:
        return [
            [pandoc, "-f", "markdown", "-s", "-t", fmt, *extra, "-o", f"{s}{suffix}", f"{s}.md"]
            for s in stems
        ]

    results["pandoc_docx"] = repeat("pandoc md->docx", runs, lambda: pandoc_to("docx", ".docx"))
    results["pandoc_html"] = repeat("pandoc md->html", runs, lambda: pandoc_to("html5", ".html"))
    typst_vars = ["-V", "papersize=a4", "-V", "mainfont=DejaVu Sans"]
    results["pandoc_typst"] = repeat(
        "pandoc md->typst", runs, lambda: pandoc_to("typst", ".typ", *typst_vars)
    )
    print(f"  pandoc docx  {results['pandoc_docx'].median:.3f} s", flush=True)

    reason = probe("import weasyprint")
    if reason:
        results["unavailable"]["weasyprint"] = reason
    else:
        results["versions"]["weasyprint"] = run(
            [sys.executable, "-c", "import weasyprint; print(weasyprint.__version__)"]
        ).stdout.strip()
        pairs = [
            x for pair in zip(files(".html"), files(".weasyprint.pdf"), strict=True) for x in pair
        ]
        results["weasyprint"] = repeat(
            "WeasyPrint html->pdf", runs, lambda: [[sys.executable, "-c", WEASYPRINT_CODE, *pairs]]
        )
        print(f"  weasyprint   {results['weasyprint'].median:.3f} s", flush=True)

    reason = probe("import typst")
    if reason:
        results["unavailable"]["typst"] = reason
    else:
        results["versions"]["typst"] = run(
            [sys.executable, "-c", "import importlib.metadata as m; print(m.version('typst'))"]
        ).stdout.strip()
        pairs = [x for pair in zip(files(".typ"), files(".typst.pdf"), strict=True) for x in pair]
        results["typst"] = repeat(
            "Typst typst->pdf", runs, lambda: [[sys.executable, "-c", TYPST_CODE, FONTS, *pairs]]
        )
        print(f"  typst        {results['typst'].median:.3f} s", flush=True)
    return results
