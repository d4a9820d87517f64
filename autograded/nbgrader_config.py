"""nbgrader configuration of the course. Run nbgrader commands from this folder."""

import os

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "refractory-pain"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# This folder is already called "autograded"; name nbgrader's output folder "graded" so the course
# does not contain autograded/autograded.
c.CourseDirectory.autograded_directory = "graded"

# Quizzes run in seconds; a student's infinite loop costs one timeout per cell.
c.Execute.timeout = 30
# Kill the kernel at the end instead of asking it to stop: a polite shutdown sometimes stalls for
# about 3 s ("Kernel is taking too long to finish"); grades are the same.
c.Execute.shutdown_kernel = "immediate"
# Minimal tracebacks: a failing visible test shows "AnswerFormError: <message>", not the hidden
# test lines that follow it in the cell. No history file, so parallel kernels do not contend.
# No pause before each execute reply: ipykernel sleeps 0.5 ms there so that an interactive
# front end sees a cell's output before its reply; nbgrader reads every output up to the
# kernel's idle status whatever the order, and a quiz sends about 40 requests per notebook.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:",
                             "--InteractiveShell.xmode=Minimal",
                             "--IPythonKernel._execute_sleep=0"]

# Student code runs in a sandbox at autograde (painlab/grading/sandbox.py): nbgrader's Execute
# with each kernel inside bubblewrap, seeing only its own submission (read-only), the system and
# the Python environment; no network, no course files, no gradebook, limits on processes, memory
# and file size. "auto" grades unsandboxed, with a warning on every run, where bubblewrap cannot
# run; "required" refuses. Check a machine with `python -m painlab.grading.sandbox --check`.
c.SandboxedExecute.sandbox = "auto"

# Student code cannot forge its score (painlab/grading/scoring.py): SandboxedExecute captures, just
# before each test cell, the answers it reads as plain data (numbers, strings, lists, sets,
# dicts); TrustedScoring then runs the quiz's own cells with those values in a scoring kernel that
# no student code has touched, and its outputs are what nbgrader grades. This holds only in the
# sandbox: unsandboxed, student code runs as you and can forge any score (the export says so).
# In the student's kernel, test cells run without their hidden tests. A capture may take 5 s and a
# whole notebook 300 s (SandboxedExecute.capture_timeout, .notebook_timeout).

# Autograde robust against bad submissions (painlab/grading/preprocessors.py; the instructor guide
# explains each). The lists are nbgrader 0.9.6's defaults with these changes:
# - SafeDeduplicateIds: a copied answer cell (duplicate grade id) or damaged cell metadata no
#   longer aborts `nbgrader autograde` for every student after this one;
# - OverwriteKernelspecOnce: nbgrader's OverwriteKernelspec, the same kernelspec, with the quiz
#   notebook read from the gradebook once per command instead of once per submission (faster);
# - RestoreMissingCells: a deleted test cell is put back (with its hidden tests) and graded; its
#   checks are nbgrader's OverwriteCells', answered from that same reading of the quiz notebook
#   instead of two gradebook queries per cell (faster);
# - EscapeStudentMarkup: student markdown shows as text in feedback and formgrader (no <script>,
#   no onerror=), and HTML outputs are sanitized (each distinct HTML once per command);
# - LimitOutputSize: a cell printing megabytes keeps only its first 20,000 characters;
# - CheckMetadataOnce: nbgrader's CheckCellMetadata, the same checks, with the metadata schema
#   checked once per command instead of once per cell (faster);
# - SaveAutoGradesOnce: nbgrader's SaveAutoGrades, the same grades, saved in one transaction per
#   notebook instead of one per cell, the notebook's grades and comments read in one query each
#   (faster).
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "painlab.grading.preprocessors.SafeDeduplicateIds",
    "painlab.grading.preprocessors.OverwriteKernelspecOnce",
    "painlab.grading.preprocessors.RestoreMissingCells",
    "painlab.grading.preprocessors.EscapeStudentMarkup",
    "painlab.grading.preprocessors.CheckMetadataOnce",
]
c.Autograde.autograde_preprocessors = [
    "painlab.grading.sandbox.SandboxedExecute",
    "painlab.grading.scoring.TrustedScoring",
    "painlab.grading.preprocessors.EscapeStudentMarkup",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "painlab.grading.preprocessors.LimitOutputSize",
    "painlab.grading.preprocessors.SaveAutoGradesOnce",
    "nbgrader.preprocessors.AssignLatePenalties",
    "painlab.grading.preprocessors.CheckMetadataOnce",
]

# Feedback returned to students must not contain hidden tests.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    # nbgrader's ClearHiddenTests, on test cells only: an answer containing the text
    # "BEGIN HIDDEN TESTS" no longer makes generate_feedback fail for that student.
    "painlab.grading.preprocessors.SafeClearHiddenTests",
]

# A notebook renamed by `python -m painlab.grading.report QUIZ --fix` gets its feedback released
# under the name the student submitted too: fetch_feedback looks for that name.
c.ExchangeFactory.release_feedback = "painlab.grading.feedback.ReleaseFeedbackUnderSubmittedNames"

# Students and instructor may be the same OS user on a laptop or in self-study. On a hub, the
# instructor's own configuration sets it to True: then a submission filed under another
# student's name (its folder belongs to someone else) is not collected
# (painlab/grading/exchange.py; nbgrader's check only warns).
c.ExchangeCollect.check_owner = False
c.ExchangeFactory.collect = "painlab.grading.exchange.OwnerCheckedCollect"

# Released answer cells keep their template (`answer = ...`) and get this line instead of nbgrader's
# `raise NotImplementedError()`, so an unanswered question fails its check with a clear message.
c.ClearSolutions.code_stub = {"python": "# Replace each ... above with your answer, then run this cell."}

# `nbgrader export` writes nbgrader's columns plus a status and a reason for every student
# (painlab/grading/export.py): a submission that could not be graded is not taken for a zero.
c.ExportApp.plugin_class = "painlab.grading.export.StatusExportPlugin"
