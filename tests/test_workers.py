"""The render workers: every job once, the costliest first, a job after those it
needs, and a failure reported rather than hung on."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SOURCES, TEMPLATES
from esafety_docs.building.jobs import Job
from esafety_docs.building.pipeline import Loaded, load
from esafety_docs.building.workers import Context, WorkerError, Workers
from esafety_docs.commands import pack

WHEN = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    return load(SOURCES, TEMPLATES)


@pytest.fixture(scope="module")
def workers() -> Iterator[Workers]:
    with Workers(preload=False) as started:
        yield started


def _context(loaded: Loaded, folder: Path) -> Context:
    return Context(loaded.pack, loaded.brand, WHEN, (), folder, {})


def _html(index: int, needs: tuple[str, ...] = ()) -> Job:
    return Job("html", index, (f"page-{index}.html",), "", needs)


def test_every_job_runs_once_and_writes_its_file(
    workers: Workers, loaded: Loaded, tmp_path: Path
) -> None:
    due = [_html(i) for i in range(len(loaded.pack.documents))]
    done = list(workers.run(due, _context(loaded, tmp_path), lambda job: 1.0))
    assert sorted(d.job.names for d in done) == sorted(j.names for j in due)
    for item in done:
        (written,) = item.written
        page = (tmp_path / written.name).read_text(encoding="utf-8")
        assert loaded.pack.documents[item.job.document or 0].title in page


def test_the_costliest_job_starts_first(loaded: Loaded, tmp_path: Path) -> None:
    cost = {0: 1.0, 1: 3.0, 2: 2.0}
    due = [_html(i) for i in cost]
    with Workers(count=1, preload=False) as one:  # one worker: done in the order sent
        done = list(one.run(due, _context(loaded, tmp_path), lambda j: cost[j.document or 0]))
    assert [d.job.document for d in done] == [1, 2, 0]


def test_a_job_waits_for_the_files_it_needs(
    workers: Workers, loaded: Loaded, tmp_path: Path
) -> None:
    first = _html(2)
    # Costlier, so it would start first on the other worker, but it needs what the
    # first one writes.
    second = _html(0, needs=first.names)
    cost = {first.names: 1.0, second.names: 100.0}
    done = list(workers.run([second, first], _context(loaded, tmp_path), lambda j: cost[j.names]))
    assert [d.job.names for d in done] == [first.names, second.names]


def test_a_failing_job_is_reported_with_its_file_and_cause(loaded: Loaded, tmp_path: Path) -> None:
    broken = Job("html", 99, ("missing.html",), "")  # there is no 100th document
    with Workers(preload=False) as fresh:
        with pytest.raises(WorkerError, match=r"rendering missing\.html failed:(.|\n)*IndexError"):
            list(fresh.run([broken, _html(0)], _context(loaded, tmp_path), lambda j: 1.0))
        # Stopped with work under way: the workers take no more.
        with pytest.raises(WorkerError, match="stopped"):
            list(fresh.run([_html(1)], _context(loaded, tmp_path), lambda j: 1.0))


def test_a_job_needing_a_file_no_job_makes_now_runs_at_once(
    workers: Workers, loaded: Loaded, tmp_path: Path
) -> None:
    """What it needs is already in the folder (carried over from the last build)."""
    job = _html(0, needs=("there.pdf",))
    (done,) = workers.run([job], _context(loaded, tmp_path), lambda j: 1.0)
    assert done.written
    assert done.stages["render html"] > 0  # a worker's stage times come back with its job


def test_jobs_waiting_for_each_other_are_refused(loaded: Loaded, tmp_path: Path) -> None:
    first, second = _html(0, needs=("page-1.html",)), _html(1, needs=("page-0.html",))
    with Workers(preload=False) as fresh, pytest.raises(WorkerError, match="wait for each other"):
        list(fresh.run([first, second], _context(loaded, tmp_path), lambda j: 1.0))


def test_what_another_job_waits_for_starts_first(loaded: Loaded, tmp_path: Path) -> None:
    needed, other = _html(0), _html(1)
    waiting = _html(2, needs=needed.names)
    cost = {needed.names: 1.0, other.names: 5.0, waiting.names: 10.0}
    with Workers(count=1, preload=False) as one:  # one worker: done in the order sent
        done = list(
            one.run([other, waiting, needed], _context(loaded, tmp_path), lambda j: cost[j.names])
        )
    assert [d.job.names for d in done] == [needed.names, waiting.names, other.names]


def test_where_processes_cannot_be_forked_one_renders_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows has no fork: a build there renders in its own process, however many
    cores, rather than failing as it starts."""
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.delenv("ESAFETY_DOCS_JOBS", raising=False)
    assert pack.render_processes() == 1
    monkeypatch.setenv("ESAFETY_DOCS_JOBS", "2")
    assert pack.render_processes() == 1
    monkeypatch.setenv("ESAFETY_DOCS_JOBS", "nine")
    assert pack.render_processes() is None  # still a usage error


@pytest.mark.slow
def test_in_the_workers_every_pdf_meets_every_family_of_rules(
    loaded: Loaded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendered in two workers, every PDF (the combined one too) is read by every
    family of rules, and a failure in any of them stops the build."""
    import esafety_docs.audit as audit_module
    from esafety_docs.audit.rules import Rule
    from esafety_docs.building.pipeline import PublishError, render_all

    families = sorted({r.family for r in audit_module.RULES if r.format == "pdf"})

    def reader_of(number: int, family: str) -> Rule:
        return Rule(f"pdf-family-{number}", family, "pdf", "test", lambda f: ["read it"])

    monkeypatch.setattr(audit_module, "RULES", [reader_of(*f) for f in enumerate(families)])
    # The workers are forked now, so they audit with the rules above.
    with Workers() as two, pytest.raises(PublishError) as raised:
        render_all(loaded, tmp_path, WHEN, lambda line: None, workers=two)
    pdfs = sorted(path.name for path in tmp_path.glob("*.pdf"))
    assert len(pdfs) == len(loaded.pack.documents) + 1  # and the combined PDF
    failed = sorted(line.split()[1:3] for line in str(raised.value).splitlines()[1:])
    rules = [f"pdf-family-{number}:" for number in range(len(families))]
    assert failed == sorted([name, rule] for name in pdfs for rule in rules)
