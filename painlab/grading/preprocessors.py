"""nbgrader preprocessors that keep one bad submission from hurting the instructor or the class.

Registered in ``autograded/nbgrader_config.py``:

- ``SafeDeduplicateIds`` (sanitize step): a student who copied an answer cell has the same
  ``grade_id`` twice. nbgrader's own ``DeduplicateIds`` empties the copy's metadata to ``{}``, which
  then fails as "an old version of the metadata" and aborts ``nbgrader autograde`` for every
  student after this one. This subclass removes the metadata instead, so the copy runs as an
  ordinary cell. It also removes damaged nbgrader metadata (schema too old/new, invalid), which
  aborts the bulk run the same way.
- ``OverwriteKernelspecOnce`` (sanitize step): nbgrader's ``OverwriteKernelspec``, reading the
  quiz notebook from the gradebook once per command (``notebook_source``).
- ``RestoreMissingCells`` (sanitize step): ``OverwriteCells`` with ``add_missing_cells`` on and a
  placement that cannot fail: a deleted test cell is put back (with its hidden tests) after the
  nearest cell of the quiz that the student kept, so a deleted test is graded like any other.
  nbgrader's checks of every cell (type, locked, points, checksum, unknown ids) are answered from
  the quiz notebook read once per command, not from two gradebook queries per cell.
- ``EscapeStudentMarkup`` (sanitize and autograde steps): student markdown and raw cells are shown
  as text, not HTML, so ``<script>`` and ``onerror=`` never run in the feedback or in formgrader;
  rich outputs of code cells go through nbconvert's HTML sanitizer (each distinct text once per
  command: the quiz's own displays give the same HTML in every submission).
- ``LimitOutputSize`` (autograde step): ``LimitOutput`` counts lines; a single 10 MB line still gets
  through. This caps the characters of every text output.
- ``CheckMetadataOnce`` (sanitize and autograde steps): nbgrader's ``CheckCellMetadata`` with the
  same checks and errors, but the metadata schema is read and checked once per process: nbgrader
  calls ``jsonschema.validate`` for every cell, which checks the schema itself again each time
  (about 30 ms a notebook, three times per notebook in autograde with ``SafeDeduplicateIds``).
- ``SaveAutoGradesOnce`` (autograde step): nbgrader's ``SaveAutoGrades``, the same grades and
  comments, written in one transaction per notebook instead of one per cell (each commit waits
  for the disk: with a dozen cells, about 0.05-0.1 s a notebook), the notebook's grades and
  comments read in one query each instead of one or two per cell.
- ``SafeClearHiddenTests`` (feedback step): removes hidden tests from the quiz's test cells only;
  nbgrader's own version also parses students' cells, and an answer that contains the text
  ``BEGIN HIDDEN TESTS`` made ``generate_feedback`` fail for that student.

Every class subclasses ``NbGraderPreprocessor``: nbconvert's plain ``Preprocessor`` is disabled by
default and nbgrader would skip it silently.
"""

import functools
import json
import os
import traceback
import weakref
from dataclasses import dataclass

import jsonschema
import nbformat
from nbgrader import utils
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.nbgraderformat import common as nbgrader_format
from nbgrader.nbgraderformat.common import (
    SchemaMismatchError,
    SchemaTooNewError,
    SchemaTooOldError,
    ValidationError,
)
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    DeduplicateIds,
    NbGraderPreprocessor,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from traitlets import Bool, Integer, Unicode

from painlab.grading.quizinfo import split_region

__all__ = ["SafeDeduplicateIds", "CheckMetadataOnce", "SaveAutoGradesOnce", "RestoreMissingCells",
           "OverwriteKernelspecOnce",
           "EscapeStudentMarkup", "LimitOutputSize", "SafeClearHiddenTests", "escape_markdown",
           "is_trusted_cell"]


def _nbgrader_meta(cell) -> dict | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else None


@functools.cache
def _schema(version: int) -> tuple[dict, object]:
    """nbgrader's metadata schema of ``version`` and a validator for it, its schema checked."""
    path = os.path.join(nbgrader_format.root, f"v{version:d}.json")
    with open(path, encoding="utf-8") as handle:
        schema = json.load(handle)
    kind = jsonschema.validators.validator_for(schema)
    kind.check_schema(schema)
    return schema, kind(schema)


class _SchemaOnce(nbgrader_format.BaseMetadataValidator):
    def __init__(self) -> None:
        self.schema, self._validator = _schema(self.schema_version)

    def validate_cell(self, cell) -> None:
        """The checks of nbgrader's ``BaseMetadataValidator.validate_cell``, with the error
        ``jsonschema.validate`` raises (the best match), without checking the schema again."""
        if "nbgrader" not in cell.metadata:
            return
        version = cell.metadata["nbgrader"].get("schema_version", 0)
        if version < self.schema_version:
            raise SchemaTooOldError(f"Outdated schema version: {version} (expected "
                                    f"{self.schema_version})", version, self.schema_version)
        if version > self.schema_version:
            raise SchemaTooNewError(f"Schema version is too new: {version} (expected "
                                    f"{self.schema_version})", version, self.schema_version)
        error = jsonschema.exceptions.best_match(
            self._validator.iter_errors(cell.metadata["nbgrader"]))
        if error is not None:
            raise error


class MetadataValidatorOnce(MetadataValidator, _SchemaOnce):
    """nbgrader's ``MetadataValidator`` (its own checks of every cell and notebook), with the
    schema part of ``_SchemaOnce``."""


class CheckMetadataOnce(CheckCellMetadata):
    """nbgrader's ``CheckCellMetadata``, validating with ``MetadataValidatorOnce``."""

    def preprocess(self, nb, resources):
        try:
            MetadataValidatorOnce().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            message = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(message)
            raise ValidationError(message) from None
        return nb, resources


class _FlushOnCommit:
    """A gradebook's database handle whose ``commit`` only flushes (the caller commits once at
    the end)."""

    def __init__(self, db):
        self._db = db

    def commit(self) -> None:
        self._db.flush()

    def __getattr__(self, name):
        return getattr(self._db, name)


def _submission_rows(gradebook, record, cell_kinds, notebook: str, assignment: str,
                     student: str) -> dict:
    """The ``record`` rows (``Grade`` or ``Comment``) of one submitted notebook by cell name, in
    one query, each the row nbgrader's ``find_grade``/``find_comment`` returns for that name:
    ``cell_kinds`` lists the cell classes in the order those try them."""
    from nbgrader.api import (
        Assignment,
        BaseCell,
        Notebook,
        Student,
        SubmittedAssignment,
        SubmittedNotebook,
    )

    kinds = [kind.__name__ for kind in cell_kinds]
    rows = gradebook.db.query(record, BaseCell.name, BaseCell.type)\
        .join(BaseCell, BaseCell.id == record.cell_id)\
        .join(SubmittedNotebook, SubmittedNotebook.id == record.notebook_id)\
        .join(Notebook, Notebook.id == SubmittedNotebook.notebook_id)\
        .join(SubmittedAssignment, SubmittedAssignment.id == SubmittedNotebook.assignment_id)\
        .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)\
        .join(Student, Student.id == SubmittedAssignment.student_id)\
        .filter(Notebook.name == notebook, Assignment.name == assignment,
                Student.id == student, BaseCell.type.in_(kinds))\
        .all()
    found: dict = {}
    for kind in reversed(kinds):  # the first kind nbgrader tries wins
        found.update({name: row for row, name, of_kind in rows if of_kind == kind})
    return found


class _OneTransaction:
    """A gradebook whose ``db.commit()`` (as nbgrader's ``SaveAutoGrades`` calls it after each
    cell) only flushes, and whose ``find_grade``/``find_comment`` for the notebook being saved
    answer from rows read in one query each (any other lookup, or a name without a row, asks
    the gradebook, with its own result or ``MissingEntry``)."""

    def __init__(self, gradebook, notebook: str = "", assignment: str = "", student: str = ""):
        from nbgrader.api import Comment, Grade, GradeCell, SolutionCell, TaskCell

        self._gradebook = gradebook
        self.db = _FlushOnCommit(gradebook.db)
        self._for = (notebook, assignment, student)
        self._grades = self._comments = {}
        if notebook:
            self._grades = _submission_rows(gradebook, Grade, (GradeCell, TaskCell), *self._for)
            self._comments = _submission_rows(gradebook, Comment, (SolutionCell, TaskCell),
                                              *self._for)

    def find_grade(self, grade_cell: str, notebook: str, assignment: str, student: str):
        if (notebook, assignment, student) == self._for and grade_cell in self._grades:
            return self._grades[grade_cell]
        return self._gradebook.find_grade(grade_cell, notebook, assignment, student)

    def find_comment(self, solution_cell: str, notebook: str, assignment: str, student: str):
        if (notebook, assignment, student) == self._for and solution_cell in self._comments:
            return self._comments[solution_cell]
        return self._gradebook.find_comment(solution_cell, notebook, assignment, student)

    def __getattr__(self, name):
        return getattr(self._gradebook, name)


class SaveAutoGradesOnce(SaveAutoGrades):
    """nbgrader's ``SaveAutoGrades`` (its own per-cell steps), committing once per notebook, with
    the notebook's grades and comments read in one query each instead of one per cell."""

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id = info["notebook"], info["assignment"]
        self.student_id, self.db_url = info["student"], info["db_url"]
        with Gradebook(self.db_url) as gradebook:
            try:
                self.gradebook = _OneTransaction(gradebook, self.notebook_id,
                                                 self.assignment_id, self.student_id)
                nb, resources = super(SaveAutoGrades, self).preprocess(nb, resources)
            except BaseException:
                gradebook.db.rollback()
                raise
            gradebook.db.commit()
        self.gradebook = gradebook
        return nb, resources


class SafeDeduplicateIds(DeduplicateIds):
    """nbgrader's DeduplicateIds, but a duplicate (or damaged) cell loses its nbgrader metadata
    entirely instead of keeping an empty dict that aborts the whole class's autograde."""

    _validator = None

    def preprocess(self, nb, resources):
        self._validator = MetadataValidatorOnce()  # one per notebook, not one per cell
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        meta = _nbgrader_meta(cell)
        if meta is None:
            if "nbgrader" in cell.metadata:  # not a dict at all
                del cell.metadata["nbgrader"]
            return cell, resources
        try:
            (self._validator or MetadataValidatorOnce()).validate_cell(cell)
        except (SchemaMismatchError, ValidationError) as problem:
            self.log.warning("Removing damaged nbgrader metadata of cell %s (%s)",
                             meta.get("grade_id", cell_index), str(problem).splitlines()[0])
            del cell.metadata["nbgrader"]
            return cell, resources
        if not (utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell)):
            return cell, resources
        grade_id = meta.get("grade_id")
        if grade_id is None:
            del cell.metadata["nbgrader"]
        elif grade_id in self.grade_ids:
            self.log.warning("Cell with id '%s' exists multiple times: the copy runs as an "
                             "ordinary cell", grade_id)
            del cell.metadata["nbgrader"]
        else:
            self.grade_ids.add(grade_id)
        return cell, resources


@dataclass(frozen=True)
class _SourceCell:
    """What nbgrader's ``SourceCell`` holds that grading reads."""
    name: str
    cell_type: str
    locked: bool
    source: str
    checksum: str | None


@dataclass(frozen=True)
class _GradedCell:
    name: str
    max_score: float | None = None


class _NotebookSource:
    """One notebook of the quiz as the gradebook holds it, read in one go: its kernelspec, its
    source cells (in the gradebook's order) and its grade, solution and task cells. It answers
    ``find_notebook``, ``find_source_cell`` and ``find_graded_cell`` for that notebook as
    nbgrader's ``Gradebook`` does, ``MissingEntry`` messages included."""

    def __init__(self, gradebook, notebook: str, assignment: str):
        from nbgrader.api import MissingEntry

        self.key = (notebook, assignment)
        self.missing: str | None = None  # the MissingEntry of find_notebook
        self.kernelspec = None
        self.source_cells: list[_SourceCell] = []
        self.grade_cells: list[_GradedCell] = []
        self.solution_cells: list[_GradedCell] = []
        self.task_cells: list[_GradedCell] = []
        try:
            found = gradebook.find_notebook(notebook, assignment)
        except MissingEntry as missing:
            self.missing = str(missing)
        else:
            self.kernelspec = found.kernelspec
            self.source_cells = [_SourceCell(c.name, c.cell_type, c.locked, c.source,
                                             c.checksum) for c in found.source_cells]
            self.grade_cells = [_GradedCell(c.name, c.max_score) for c in found.grade_cells]
            self.solution_cells = [_GradedCell(c.name) for c in found.solution_cells]
            self.task_cells = [_GradedCell(c.name, c.max_score) for c in found.task_cells]
        self.sources = {c.name: c for c in self.source_cells}
        # find_graded_cell looks for a grade cell first, then a task cell
        self.graded = {c.name: c for c in self.task_cells} | {c.name: c for c in self.grade_cells}


class _SourceLookups:
    """The lookups ``OverwriteCells`` makes in the gradebook, answered from a
    ``_NotebookSource`` (used as ``OverwriteCells.gradebook``)."""

    def __init__(self, source: _NotebookSource):
        self._source = source

    def __enter__(self):
        return self

    def __exit__(self, *problem) -> None:
        pass

    def _of(self, notebook: str, assignment: str) -> _NotebookSource:
        if (notebook, assignment) != self._source.key:
            raise ValueError(f"read {self._source.key}, asked for {(notebook, assignment)}")
        return self._source

    def find_notebook(self, name: str, assignment: str) -> _NotebookSource:
        from nbgrader.api import MissingEntry

        source = self._of(name, assignment)
        if source.missing is not None:
            raise MissingEntry(source.missing)
        return source

    def find_source_cell(self, name: str, notebook: str, assignment: str) -> _SourceCell:
        from nbgrader.api import MissingEntry

        try:
            return self._of(notebook, assignment).sources[name]
        except KeyError:
            raise MissingEntry(f"No such source cell: {assignment}/{notebook}/{name}") from None

    def find_graded_cell(self, name: str, notebook: str, assignment: str) -> _GradedCell:
        from nbgrader.api import MissingEntry

        try:
            return self._of(notebook, assignment).graded[name]
        except KeyError:
            raise MissingEntry(f"No such grade cell: {assignment}/{notebook}/{name}") from None


# What a step read or worked out once per nbgrader command: kept for the command's exporter
# (the parent of every step it registers), dropped with it, so the next command starts afresh.
_PER_COMMAND: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()


def _command_cache(owner, name: str) -> dict:
    """The dict kept under ``name`` for ``owner``'s command (a new, unkept one without owner)."""
    if owner is None:
        return {}
    return _PER_COMMAND.setdefault(owner, {}).setdefault(name, {})


def notebook_source(owner, db_url: str, notebook: str, assignment: str) -> _NotebookSource:
    """The gradebook's ``notebook`` of ``assignment``, read once per ``owner`` (None: read
    now, kept nowhere). Only generate_assignment writes it, never while autograde runs."""
    from nbgrader.api import Gradebook

    key = (db_url, notebook, assignment)
    cache = _command_cache(owner, "notebook sources")
    if key not in cache:
        with Gradebook(db_url) as gradebook:
            cache[key] = _NotebookSource(gradebook, notebook, assignment)
    return cache[key]


class OverwriteKernelspecOnce(OverwriteKernelspec):
    """nbgrader's ``OverwriteKernelspec`` (the same kernelspec, the same log lines), with the
    source notebook's kernelspec read from the gradebook once per command."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        kernelspec = notebook_source(self.parent, info["db_url"], info["notebook"],
                                     info["assignment"]).kernelspec
        if kernelspec is not None:
            kernelspec = json.loads(kernelspec)
        self.log.debug(f"Source notebook kernelspec: {kernelspec}")
        self.log.debug(f"Submitted notebook kernelspec: {nb.metadata.get('kernelspec', None)}")
        if kernelspec:
            self.log.debug(f"Overwriting submitted notebook kernelspec: {kernelspec}")
            nb.metadata["kernelspec"] = kernelspec
        return nb, resources


class RestoreMissingCells(OverwriteCells):
    """OverwriteCells that puts deleted cells back, in a place that always exists.

    nbgrader's ``add_missing_cells`` re-adds grade cells after the previous *grade or solution*
    cell and fails with a KeyError when that one is missing too or is a plain locked cell. This
    version re-adds every deleted grade cell and every deleted locked cell (a deleted set-up cell
    would otherwise fail every test), after the nearest earlier cell of the quiz still present.
    """

    add_missing_cells = Bool(True, help="Add deleted grade and locked cells back before "
                                        "grading.").tag(config=True)

    def preprocess(self, nb, resources):
        """nbgrader's ``OverwriteCells.preprocess``, with every gradebook lookup answered from
        the quiz notebook read once per command (``notebook_source``): the same checks,
        restorations and warnings, without two queries per nbgrader cell."""
        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id = info["notebook"], info["assignment"]
        self.db_url = info["db_url"]
        self.gradebook = _SourceLookups(notebook_source(self.parent, self.db_url,
                                                        self.notebook_id, self.assignment_id))
        with self.gradebook:
            nb, resources = super(OverwriteCells, self).preprocess(nb, resources)
            if self.add_missing_cells:
                nb, resources = self.add_missing_grade_cells(nb, resources)
                nb, resources = self.add_missing_task_cells(nb, resources)
        return nb, resources

    def _restored_cell(self, source_cell, grade_cells: dict, solution_ids: set):
        name = source_cell.name
        if name in grade_cells:
            is_solution = name in solution_ids
            cell = self.missing_cell_transform(source_cell, grade_cells[name].max_score,
                                               is_solution=is_solution)
            if is_solution:
                # A deleted written answer is an empty answer: keep the released text so
                # nbgrader scores it 0 ("No response") instead of asking for a hand grade.
                cell.source = source_cell.source
            return cell
        notice = self.missing_cell_notification.format(cell_id=name)
        if source_cell.cell_type == "code":
            cell = nbformat.v4.new_code_cell("# " + notice + source_cell.source)
        else:
            cell = nbformat.v4.new_markdown_cell(source_cell.source)
        cell.metadata["deletable"] = False
        cell.metadata["editable"] = False
        cell.metadata["nbgrader"] = {
            "grade": False, "grade_id": name, "locked": True, "solution": False, "task": False,
            "checksum": source_cell.checksum, "cell_type": source_cell.cell_type,
            "schema_version": 3}
        return cell

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = list(source_nb.source_cells)
        source_ids = [cell.name for cell in source_cells]
        grade_cells = {cell.name: cell for cell in source_nb.grade_cells}
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        wanted = [c for c in source_cells if c.name in grade_cells or c.locked]
        for source_cell in wanted:
            where = {meta["grade_id"]: index for index, cell in enumerate(nb.cells)
                     if (meta := _nbgrader_meta(cell)) and "grade_id" in meta}
            if source_cell.name in where:
                continue
            self.log.warning("Cell %s was deleted from the submission: adding it back",
                             source_cell.name)
            position = 0
            for earlier in reversed(source_ids[:source_ids.index(source_cell.name)]):
                if earlier in where:
                    position = where[earlier] + 1
                    break
            nb.cells.insert(position, self._restored_cell(source_cell, grade_cells,
                                                          solution_ids))
        return nb, resources


# --- escaping student markup ---------------------------------------------------------------
def escape_markdown(text: str) -> str:
    """Markdown that renders student text as text.

    Every ``<`` becomes ``&lt;``, so no tag, comment or autolink can form (inside code spans it
    shows as ``&lt;``: a price worth paying for not second-guessing the renderer), and every ``[``
    becomes ``&#91;``, so no link or image forms: nbconvert's markdown renderer keeps
    ``javascript:`` links, including entity-encoded ones. Entities are decoded only after the
    markdown structure is parsed, so they cannot build a tag or a link. ``>`` is left alone so
    quotes (``> ...``) still render. Idempotent.
    """
    return text.replace("<", "&lt;").replace("[", "&#91;")


def is_trusted_cell(cell) -> bool:
    """A cell whose content comes from the quiz source, not from the student: locked, not an
    answer cell, and with a grade_id (OverwriteCells has already restored such cells' source from
    the gradebook and removed ids the gradebook does not know)."""
    meta = _nbgrader_meta(cell)
    return bool(meta and meta.get("grade_id") and meta.get("locked") and not meta.get("solution"))


# HTML already sanitized in this command: the quiz's own displays give the same HTML in every
# submission, and bleach takes a few milliseconds for each.
_SANITIZED_MAX_CHARS = 100_000
_SANITIZED_MAX_ENTRIES = 1_000


def _remembered(sanitizer, owner):
    """``sanitizer.sanitize_html_tags`` (a function of its text and its settings only), each
    result kept for ``owner``'s later calls with the same text and settings."""
    clean = sanitizer.sanitize_html_tags
    settings = repr((sanitizer.tags, sanitizer.attributes, sanitizer.styles, sanitizer.strip,
                     sanitizer.strip_comments))
    cache = _command_cache(owner, "sanitized html")

    def sanitize_html_tags(html_str):
        if not isinstance(html_str, str) or len(html_str) > _SANITIZED_MAX_CHARS:
            return clean(html_str)
        key = (settings, html_str)
        if key not in cache:
            if len(cache) >= _SANITIZED_MAX_ENTRIES:
                cache.clear()
            cache[key] = clean(html_str)
        return cache[key]

    return sanitize_html_tags


class EscapeStudentMarkup(NbGraderPreprocessor):
    """Show student markdown and raw cells as text, and sanitize HTML in every code output.

    Register it in ``Autograde.sanitize_preprocessors`` after the cell-restoring step, and in
    ``Autograde.autograde_preprocessors`` right after ``Execute`` (outputs exist only then). Both
    the feedback HTML and formgrader render the autograded notebook, so escaping it once covers
    both. Course cells (locked, restored from the source) keep their markdown as written.
    """

    sanitize_outputs = Bool(True, help="Pass code cell outputs through nbconvert's HTML "
                                       "sanitizer (removes scripts, SVG, event handlers).").tag(
        config=True)

    def preprocess(self, nb, resources):
        from nbconvert.preprocessors.sanitize import SanitizeHTML

        self._sanitizer = SanitizeHTML(parent=self)
        self._sanitizer.sanitize_html_tags = _remembered(self._sanitizer, self.parent)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type in ("markdown", "raw") and not is_trusted_cell(cell):
            escaped = escape_markdown(cell.source)
            if escaped != cell.source:
                self.log.info("Escaped HTML in student cell %s", cell_index)
                cell.source = escaped
            if cell.cell_type == "raw":
                for key in ("format", "raw_mimetype"):
                    cell.metadata.pop(key, None)
            for attachment in list(cell.get("attachments", {}).values()):
                for mime in [m for m in attachment if "svg" in m or "html" in m]:
                    del attachment[mime]
        elif cell.cell_type == "code" and self.sanitize_outputs and cell.get("outputs"):
            cell.outputs = self._sanitizer.sanitize_code_outputs(cell.outputs)
        return cell, resources


class LimitOutputSize(NbGraderPreprocessor):
    """Cap the characters of each text output (LimitOutput only counts lines)."""

    max_chars = Integer(20_000, help="Maximum characters kept of each text output "
                                     "(-1: no limit).").tag(config=True)
    notice = Unicode("\n... Output truncated: {removed} more characters ...\n").tag(config=True)

    def _cut(self, text: str) -> str:
        if self.max_chars < 0 or len(text) <= self.max_chars:
            return text
        return text[:self.max_chars] + self.notice.format(removed=len(text) - self.max_chars)

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code":
            return cell, resources
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                output.text = self._cut(output.text)
            elif output.output_type in ("execute_result", "display_data"):
                for mime, value in list(output.get("data", {}).items()):
                    if isinstance(value, str) and mime.startswith("text/"):
                        output.data[mime] = self._cut(value)
            elif output.output_type == "error":
                output.evalue = self._cut(output.evalue)
        return cell, resources


def _squash(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _hidden_keys(source: str, begin: str, end: str, min_chars: int = 16) -> list[str]:
    return [key for line in split_region(source, begin, end)[1].split("\n")
            if len(key := _squash(line)) >= min_chars]


def _scrub_text(text: str, keys: list[str], notice: str) -> str:
    lines = text.split("\n")
    kept = [notice if any(k in _squash(line) for k in keys) else line for line in lines]
    return "\n".join(kept)


def _scrub_output(output, keys: list[str], notice: str) -> None:
    if output.get("output_type") == "stream":
        output.text = _scrub_text(output.text, keys, notice)
    elif output.get("output_type") in ("execute_result", "display_data"):
        for mime, value in list(output.get("data", {}).items()):
            if isinstance(value, str) and (mime.startswith("text/") or "json" in mime):
                output.data[mime] = _scrub_text(value, keys, notice)
    elif output.get("output_type") == "error":
        output.evalue = _scrub_text(output.evalue, keys, notice)
        output.traceback = [_scrub_text(line, keys, notice) for line in output.traceback]


class SafeClearHiddenTests(ClearHiddenTests):
    """nbgrader's ClearHiddenTests, applied to the quiz's test cells only, and to outputs.

    nbgrader looks for ``BEGIN HIDDEN TESTS`` in every cell, so a student who writes that text
    in an answer (in a string, a comment, a copied question) makes ``generate_feedback`` fail
    for them ("No end hidden tests statement found", or "Hidden test region detected in a
    non-grade cell"). Test cells come from the gradebook at autograde; every other cell is the
    student's own text and is left as written.

    Outputs are cleaned too: a student's cell that runs after a test cell can print the
    kernel's input history (``In``, ``_ih``) and with it the hidden tests just run. Every output
    line holding a hidden-test line (compared on letters and digits, so quoting and escapes do
    not hide it) is replaced by a notice."""

    removed_notice = Unicode("[a line holding hidden tests was removed from this output]").tag(
        config=True)

    def preprocess(self, nb, resources):
        hidden = []
        for cell in nb.cells:
            if utils.is_grade(cell) and not utils.is_solution(cell):
                hidden += _hidden_keys(cell.source, self.begin_test_delimeter,
                                       self.end_test_delimeter)
        nb, resources = super().preprocess(nb, resources)
        if hidden:
            for cell in nb.cells:
                for output in cell.get("outputs", []):
                    _scrub_output(output, hidden, self.removed_notice)
        return nb, resources

    def preprocess_cell(self, cell, resources, cell_index):
        if utils.is_grade(cell) and not utils.is_solution(cell):
            return super().preprocess_cell(cell, resources, cell_index)
        if self.begin_test_delimeter in cell.get("source", ""):
            self.log.info("Cell %s is the student's own and mentions %r: left as written",
                          cell_index, self.begin_test_delimeter)
        return cell, resources
